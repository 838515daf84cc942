package dev.affect.engine.training.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning the whole DDAMFN on a small synthetic release, on cpu (reference would take minutes a step). */
class BackboneTrainingRunTest {
    @TempDir
    static Path data;
    private static AbawDataset dataset;
    private static final FacePreprocessor FACES = new FacePreprocessor(ImageDecoder.best());

    @BeforeAll
    static void setUp() throws IOException {
        SyntheticAbaw.write(data.resolve("abaw"), 3, 20, 11);
        dataset = AbawDataset.open(data.resolve("abaw"));
    }

    private static RunConfig config() {
        return RunConfig.defaults(AbawTask.EXPR, HeadKind.BACKBONE).withEpochs(2).withBatch(8).withSeed(4)
                .withSelection(Metric.F1_EXPR, 1);
    }

    private static StateDict lastCheckpoint(RunResult r) throws IOException {
        return CheckpointFiles.read(r.directory().resolve("checkpoints")
                .resolve(String.format("epoch-%04d", r.state().completedEpochs())).resolve(RunDirectory.BACKBONE));
    }

    @Test
    void theWholeNetworkTrainsAndAStoppedRunResumesToTheSameWeightsBitForBit(@TempDir Path out) throws IOException {
        RequiredBackend.require("cpu");
        StateDict start = DemoWeights.ddamfn();
        try (Backend cpu = Backends.open("cpu")) {
            RunResult whole = BackboneTrainingRun.start(out.resolve("whole"), config(), dataset, start, cpu, FACES,
                    RunListener.NONE, () -> false);
            assertEquals(RunResult.Status.SUCCEEDED, whole.status());
            assertEquals(2, whole.state().history().size());
            for (EpochRecord e : whole.state().history()) {
                assertTrue(Double.isFinite(e.trainLoss()) && e.metrics().containsKey(Metric.F1_EXPR.key()), e.toString());
            }
            StateDict tuned = CheckpointFiles.read(whole.bestWeights());
            assertEquals(start.names(), tuned.names(), "every key of the checkpoint is written back");
            for (String key : List.of("features.0.conv.weight", "cat_head0.CoordAtt.Linear_h.conv.weight", "fc.weight",
                    "features.0.bn.running_mean", "features.0.bn.running_var")) {
                assertFalse(java.util.Arrays.equals(start.get(key).toFloatArray(), tuned.get(key).toFloatArray()),
                        key + " changed");
            }
            try (Ddamfn served = Ddamfn.load(whole.bestWeights(), cpu)) {
                assertEquals(8, served.config().numClass(), "the best epoch's network loads as a serving DDAMFN");
            }

            AtomicInteger steps = new AtomicInteger();
            int stopAt = EpochLoop.stepsPerEpoch(config(), FrameSplit.open(dataset,
                    dev.affect.engine.data.abaw.AbawSplit.TRAIN).size()) + 2;
            RunListener counting = new RunListener() {
                @Override
                public void step(StepProgress p) {
                    steps.incrementAndGet();
                }
            };
            RunResult stopped = BackboneTrainingRun.start(out.resolve("resumed"), config(), dataset, start, cpu, FACES,
                    counting, () -> steps.get() >= stopAt);
            assertEquals(RunResult.Status.CANCELLED, stopped.status());
            assertEquals(1, stopped.state().completedEpochs(), "stopped in the second epoch");
            RunResult resumed = BackboneTrainingRun.resume(out.resolve("resumed"), dataset, start, cpu, FACES,
                    RunListener.NONE, () -> false);
            assertEquals(RunResult.Status.SUCCEEDED, resumed.status());
            StateDict a = lastCheckpoint(whole);
            StateDict b = lastCheckpoint(resumed);
            for (String key : a.names()) {
                if (a.get(key).dtype().isFloating()) {
                    assertArrayEquals(a.get(key).toFloatArray(), b.get(key).toFloatArray(), key);
                }
            }

            InvalidInputException other = assertThrows(InvalidInputException.class, () -> BackboneTrainingRun.resume(
                    out.resolve("resumed"), dataset, DemoWeights.ddamfn(99), cpu, FACES, RunListener.NONE, () -> false));
            assertEquals("checkpoint", other.field(), "a resume must start from the run's own backbone");
        }
    }

    @Test
    void aSevenClassCheckpointGetsAFreshEightWayClassifierAndKeepsEverythingElse() {
        StateDict eight = DemoWeights.ddamfn();
        Map<String, Tensor> m = new LinkedHashMap<>(eight.asMap());
        m.put("fc.weight", Tensor.of(new float[7 * DdamfnConfig.EMBEDDING], 7, DdamfnConfig.EMBEDDING));
        m.put("fc.bias", Tensor.of(new float[7], 7));
        for (String k : List.of("bn.weight", "bn.bias", "bn.running_mean", "bn.running_var")) {
            m.put(k, Tensor.of(new float[7], 7));
        }
        StateDict seven = new StateDict(m);
        StateDict widened = EightWayClassifier.of(seven, 1);
        assertEquals(seven.names(), widened.names());
        assertArrayEquals(new int[] {8, DdamfnConfig.EMBEDDING}, widened.get("fc.weight").shape().dims());
        float[] w = widened.get("fc.weight").toFloatArray();
        double bound = 1 / Math.sqrt(DdamfnConfig.EMBEDDING);
        assertTrue(java.util.Arrays.stream(toDoubles(w)).allMatch(x -> Math.abs(x) <= bound) && w[0] != w[1],
                "torch's Linear init: U(-1/sqrt(512), 1/sqrt(512))");
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, widened.get("bn.running_var").toFloatArray());
        assertArrayEquals(seven.get("features.0.conv.weight").toFloatArray(), widened.get("features.0.conv.weight").toFloatArray());
        assertSame(eight, EightWayClassifier.of(eight, 1), "an 8-class checkpoint is used as it is");
    }

    @Test
    void aBackboneRunIsAnExpressionRunOnSingleFrames() {
        assertEquals("task", assertThrows(InvalidInputException.class,
                () -> RunConfig.defaults(AbawTask.VA, HeadKind.BACKBONE)).field());
        assertEquals("window", assertThrows(InvalidInputException.class,
                () -> config().withWindow(new dev.affect.engine.training.data.WindowSpec(10, 10))).field());
        assertEquals(RunConfig.DEFAULT_BACKBONE_LR, config().lr());
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
