package dev.affect.engine.image;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared reference fixtures (read in place); tests skip when they are not checked out. */
final class Fixtures {
    private Fixtures() {
    }

    /** shared/fixtures/reference, or skips the calling test with the reason. */
    static Path reference() {
        String property = System.getProperty("affect.shared");
        // Without the property (IDE runs) try ../shared from the repo root and from a module directory.
        Path shared = property != null ? Path.of(property)
                : Files.isDirectory(Path.of("../shared")) ? Path.of("../shared") : Path.of("../../shared");
        Path reference = shared.resolve("fixtures/reference");
        assumeTrue(Files.isDirectory(reference),
                "shared fixtures not found at " + reference.toAbsolutePath().normalize()
                        + " (set -Daffect.shared=<dir holding fixtures/reference>)");
        return reference;
    }

    static Path file(String name) {
        return reference().resolve(name);
    }

    static TestNpy npy(String name) {
        try {
            return TestNpy.read(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
