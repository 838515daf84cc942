package dev.affect.engine.model.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** Layout and reproducibility of the generated state_dicts (no backend needed). */
class DemoWeightsTest {

    static Map<String, Shape> shapes(StateDict sd) {
        Map<String, Shape> m = new LinkedHashMap<>();
        sd.asMap().forEach((k, t) -> m.put(k, t.shape()));
        return m;
    }

    static Map<String, Shape> fixtureShapes(Path file) throws IOException {
        return CheckpointFiles.readAndRelease(file, sd -> shapes(sd.allHavePrefix("module.") ? sd.stripPrefix("module.") : sd));
    }

    /** The stored bits of a tensor, so that -0.0 and 0.0 (or two NaNs) are told apart. */
    static long[] bits(Tensor t) {
        if (!t.dtype().isFloating()) {
            return t.toLongArray();
        }
        float[] f = t.toFloatArray();
        long[] b = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Test
    void ddamfnHasTheKeysAndShapesOfTheAuthorsEightClassCheckpoint() throws IOException {
        Map<String, Shape> real = fixtureShapes(SharedFixtures.reference("ddamfn_8_class.pth"));
        assertEquals(real, shapes(DemoWeights.ddamfn(1)));
        assertEquals(List.copyOf(real.keySet()), DemoWeights.ddamfn(1).names(), "registration order");
    }

    @Test
    void headsHaveTheKeysAndShapesOfTheTrainingFixtures() throws IOException {
        Path training = SharedFixtures.dir("training");
        for (Task task : Task.values()) {
            String k = task.key();
            assertEquals(fixtureShapes(training.resolve("lstm_" + k + (task == Task.AU ? "_adamw" : "_adam")).resolve("init.safetensors")),
                    shapes(DemoWeights.lstmHead(task, 3)), "LSTM " + task);
            assertEquals(fixtureShapes(training.resolve("fc_" + k + "_adam").resolve("init.safetensors")),
                    shapes(DemoWeights.fcHead(task, 3)), "FC " + task);
        }
    }

    @Test
    void sameSeedGivesTheSameBits() {
        assertSameBits(DemoWeights.ddamfn(42), DemoWeights.ddamfn(42));
        for (Task task : Task.values()) {
            assertSameBits(DemoWeights.lstmHead(task, 42), DemoWeights.lstmHead(task, 42));
            assertSameBits(DemoWeights.fcHead(task, 42), DemoWeights.fcHead(task, 42));
        }
    }

    @Test
    void anotherSeedChangesEveryRandomTensorAndNoConstantOne() {
        assertSeedMatters(DemoWeights::ddamfn);
        for (Task task : Task.values()) {
            assertSeedMatters(seed -> DemoWeights.lstmHead(task, seed));
            assertSeedMatters(seed -> DemoWeights.fcHead(task, seed));
        }
    }

    @Test
    void headsOfDifferentTasksAndKindsDoNotShareWeights() {
        long[] vaFc = bits(DemoWeights.lstmHead(Task.VA, 5).get("fc.weight"));
        assertFalse(Arrays.equals(vaFc, bits(DemoWeights.lstmHead(Task.AU, 5).get("fc.weight"))));
        assertFalse(Arrays.equals(bits(DemoWeights.fcHead(Task.VA, 5).get("fc.bias")),
                bits(DemoWeights.lstmHead(Task.VA, 5).get("fc.bias"))));
    }

    @Test
    void batchNormsStartAsTheIdentityWithPositiveVariance() {
        StateDict sd = DemoWeights.ddamfn(9);
        for (String name : sd.names()) {
            Tensor t = sd.get(name);
            if (name.endsWith(".running_var")) {
                for (float v : t.toFloatArray()) {
                    assertTrue(v > 0, name);
                }
            } else if (name.endsWith(".running_mean")) {
                assertArrayEquals(new float[(int) t.numel()], t.toFloatArray(), name);
            } else if (name.endsWith(".num_batches_tracked")) {
                assertEquals(Shape.of(), t.shape(), name);
                assertFalse(t.dtype().isFloating(), name + " is torch's int64 counter");
            }
        }
    }

    @Test
    void noticeSaysHowToGetRealWeights() {
        assertTrue(DemoWeights.NOTICE.contains("models pull affectnet8"), DemoWeights.NOTICE);
        assertTrue(DemoWeights.NOTICE.contains("models/"), DemoWeights.NOTICE);
        assertFalse(DemoWeights.NOTICE.contains("\n"), "one line");
    }

    private static void assertSameBits(StateDict a, StateDict b) {
        assertEquals(a.names(), b.names());
        for (String name : a.names()) {
            assertEquals(a.get(name).dtype(), b.get(name).dtype(), name);
            assertArrayEquals(bits(a.get(name)), bits(b.get(name)), name);
        }
    }

    /** A tensor whose values are not all one number is random, so it must change with the seed; the others must not. */
    private static void assertSeedMatters(LongFunction<StateDict> make) {
        StateDict a = make.apply(1);
        StateDict b = make.apply(2);
        int random = 0;
        for (String name : a.names()) {
            long[] x = bits(a.get(name));
            boolean constant = Arrays.stream(x).distinct().count() == 1;
            if (constant) {
                assertArrayEquals(x, bits(b.get(name)), name + " is constant, not seeded");
            } else {
                random++;
                assertFalse(Arrays.equals(x, bits(b.get(name))), name + " did not change with the seed");
            }
        }
        assertTrue(random > 0, "some tensor is random");
    }
}
