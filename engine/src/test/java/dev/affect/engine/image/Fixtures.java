package dev.affect.engine.image;


import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The shared reference fixtures (read in place); tests skip when they are not checked out. */
final class Fixtures {
    private Fixtures() {
    }

    static Path file(String name) {
        return SharedFixtures.reference(name);
    }

    static TestNpy npy(String name) {
        try {
            return TestNpy.read(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
