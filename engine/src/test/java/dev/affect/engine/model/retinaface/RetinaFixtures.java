package dev.affect.engine.model.retinaface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;

/** fixtures/retinaface files, backends and comparisons for the RetinaFace tests. */
final class RetinaFixtures {
    private RetinaFixtures() {
    }

    static Path file(String name) {
        return SharedFixtures.dir("retinaface").resolve(name);
    }

    static Tensor npy(String name) throws IOException {
        return NpyReader.read(file(name));
    }

    static float[] floats(String name) throws IOException {
        return npy(name).toFloatArray();
    }

    static long[] longs(String name) throws IOException {
        return npy(name).toLongArray();
    }

    /** The named backend, or the test is skipped with the reason it is unavailable. */
    static Backend open(String name) {
        return RequiredBackend.require(name).open(BackendOptions.defaults());
    }

    /**
     * Asserts |a - e| <= atol + rtol * |e| element-wise and returns max |a - e| (printed: the report
     * quotes these).
     */
    static double expectClose(float[] actual, float[] expected, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double max = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            assertTrue(d <= atol + rtol * Math.abs(expected[i]),
                    what + "[" + i + "]: " + actual[i] + " vs " + expected[i] + " (diff " + d + ")");
            if (d > max || worst < 0) {
                max = Math.max(max, d);
                worst = i;
            }
        }
        System.out.printf("retinaface %-45s max abs diff %.3e%n", what, max);
        return max;
    }
}
