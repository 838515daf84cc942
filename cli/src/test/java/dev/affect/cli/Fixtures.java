package dev.affect.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** ../shared/fixtures/reference, read in place; tests skip with the reason where it is absent. */
final class Fixtures {
    private Fixtures() {
    }

    static Path reference(String file) {
        return in("reference", file);
    }

    /** A file of fixtures/training/&lt;case&gt;. */
    static Path training(String caseName, String file) {
        return in("training/" + caseName, file);
    }

    /** fixtures/&lt;folder&gt;/&lt;file&gt; (the file itself may be absent; the folder must be there). */
    static Path in(String folder, String file) {
        String property = System.getProperty("affect.shared");
        Path shared = property != null ? Path.of(property) : Path.of("../../shared");
        Path dir = shared.resolve("fixtures").resolve(folder);
        assumeTrue(Files.isDirectory(dir), "shared fixtures not found at " + dir.toAbsolutePath().normalize()
                + " (set -Daffect.shared=<dir holding fixtures/>)");
        return dir.resolve(file);
    }
}
