package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.server.schedule.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** ../shared/fixtures/reference, read in place; tests skip with the reason where it is absent. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path reference(String file) {
        String property = System.getProperty("affect.shared");
        Path shared = property != null ? Path.of(property) : Path.of("../../shared");
        Path dir = shared.resolve("fixtures/reference");
        assumeTrue(Files.isDirectory(dir), "shared fixtures not found at " + dir.toAbsolutePath().normalize()
                + " (set -Daffect.shared=<dir holding fixtures/>)");
        return dir.resolve(file);
    }

    public static byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(reference(file));
    }

    /** A registry holding the 8-class fixture model as "ddamfn" (the default), on the best backend. */
    public static ModelRegistry registry() throws IOException {
        Path checkpoint = reference("ddamfn_8_class.pth");
        Backend backend = Backends.open("auto", new BackendOptions(0));
        ModelRegistry registry = new ModelRegistry();
        try {
            registry.register("ddamfn", Ddamfn.load(checkpoint, backend));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        return registry;
    }

    /** max |actual - expected| / max |expected| below 1e-4. */
    public static void assertClose(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, "length");
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        double rel = maxDiff / maxRef;
        assertTrue(rel < 1e-4, "relative error " + rel);
    }
}
