package dev.affect.engine.training.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.training.data.SynthSet;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.optim.LearningRate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The epoch loop, checkpoints, keep-best, resume and divergence, driven with a {@link LinearTestHead}. */
class HeadTrainingRunTest {
    @TempDir
    static Path data;
    private static SynthSet set;
    private static final TrainableHead.Factory LINEAR = LinearTestHead::new;

    @BeforeAll
    static void setUp() throws IOException {
        set = SynthSet.create(data, 6, 60, 5);
    }

    private static RunConfig config(int epochs) {
        return RunConfig.defaults(AbawTask.VA, HeadKind.FC).withOptimizer(OptimizerKind.ADAM, 0.02, 0)
                .withEpochs(epochs).withBatch(4).withSeed(7).withSelection(Metric.P_VA, 2)
                .withSchedule(LrSchedule.cosine(epochs > 1 ? 1 : 0));
    }

    private static RunData open(RunConfig c) throws IOException {
        return RunData.open(set.dataset(), set.cache(), c);
    }

    private static byte[] lastHead(Path run, int epoch) throws IOException {
        return Files.readAllBytes(run.resolve("checkpoints").resolve(String.format("epoch-%04d", epoch)).resolve("head.safetensors"));
    }

    @Test
    void aRunStoppedMidEpochAndResumedEndsWithTheSameWeightsBitForBit(@TempDir Path out) throws IOException {
        RunConfig c = config(4);
        RunResult whole = HeadTrainingRun.start(out.resolve("whole"), c, open(c), LINEAR, RunListener.NONE, () -> false);
        assertEquals(RunResult.Status.SUCCEEDED, whole.status());

        AtomicBoolean stop = new AtomicBoolean();
        RunListener stopInEpoch3 = new RunListener() {
            @Override
            public void step(StepProgress p) {
                if (p.epoch() == 3 && p.step() == 3) {
                    stop.set(true);
                }
            }
        };
        RunResult first = HeadTrainingRun.start(out.resolve("split"), c, open(c), LINEAR, stopInEpoch3, stop::get);
        assertEquals(RunResult.Status.CANCELLED, first.status());
        assertEquals(2, first.state().completedEpochs());
        // what a process killed here would leave: epoch 3's steps are lost, epoch 2 is committed
        RunConfig stored = HeadTrainingRun.storedConfig(out.resolve("split"));
        assertEquals(c, stored);
        RunResult resumed = HeadTrainingRun.resume(out.resolve("split"), open(stored), LINEAR, RunListener.NONE, () -> false);
        assertEquals(RunResult.Status.SUCCEEDED, resumed.status());

        assertArrayEquals(lastHead(out.resolve("whole"), 4), lastHead(out.resolve("split"), 4));
        assertEquals(whole.state().globalStep(), resumed.state().globalStep());
        for (int e = 0; e < 4; e++) {
            assertEquals(whole.state().history().get(e).trainLoss(), resumed.state().history().get(e).trainLoss(), 0.0, "epoch " + (e + 1));
            assertEquals(whole.state().history().get(e).metrics(), resumed.state().history().get(e).metrics());
        }
        // and the weights really moved: a different seed ends elsewhere
        RunConfig other = c.withSeed(8);
        HeadTrainingRun.start(out.resolve("other"), other, open(other), LINEAR, RunListener.NONE, () -> false);
        assertFalse(java.util.Arrays.equals(lastHead(out.resolve("whole"), 4), lastHead(out.resolve("other"), 4)));
    }

    @Test
    void keepsTheBestEpochsByTheMetricPlusTheLastAndServesTheBest(@TempDir Path out) throws IOException {
        RunConfig c = config(5);
        List<EpochRecord> seen = new ArrayList<>();
        RunListener collect = new RunListener() {
            @Override
            public void epoch(EpochRecord record, RunState state) {
                seen.add(record);
            }
        };
        RunResult r = HeadTrainingRun.start(out.resolve("run"), c, open(c), LINEAR, collect, () -> false);
        assertEquals(5, seen.size());
        List<Integer> byMetric = seen.stream()
                .sorted((a, b) -> Double.compare(b.value(Metric.P_VA), a.value(Metric.P_VA)))
                .map(EpochRecord::epoch).toList();
        assertEquals(byMetric.subList(0, 2), r.state().best());
        Set<String> expected = Stream.concat(r.state().best().stream(), Stream.of(5))
                .map(e -> String.format("epoch-%04d", e)).collect(Collectors.toSet());
        try (Stream<Path> dirs = Files.list(out.resolve("run").resolve("checkpoints"))) {
            assertEquals(expected, dirs.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertArrayEquals(lastHead(out.resolve("run"), r.state().best().getFirst()), Files.readAllBytes(r.bestWeights()));
        for (EpochRecord e : seen) {
            assertEquals(Set.of("p_va", "ccc_v", "ccc_a", "train_loss"), e.metrics().keySet());
            assertTrue(Double.isFinite(e.value(Metric.P_VA)), "epoch " + e.epoch() + " " + e.metrics());
        }
    }

    @Test
    void aNonFiniteLossFailsTheRunNamingEpochAndStep(@TempDir Path out) throws IOException {
        RunConfig c = config(3);
        RunData d = open(c);
        int stepsPerEpoch = (d.train().size() + c.batch() - 1) / c.batch();
        long nanAt = stepsPerEpoch + 5L; // epoch 2, step 5
        TrainableHead.Factory diverging = (config, width, rate) -> new LinearTestHead(config, width, rate) {
            private long step;

            @Override
            public double step(WindowBatch batch) {
                double loss = super.step(batch);
                return ++step == nanAt ? Double.NaN : loss;
            }
        };
        RunResult r = HeadTrainingRun.start(out.resolve("run"), c, d, diverging, RunListener.NONE, () -> false);
        assertEquals(RunResult.Status.FAILED, r.status());
        RunResult.Divergence at = r.divergence().orElseThrow();
        assertEquals(2, at.epoch());
        assertEquals(5, at.step());
        assertEquals(nanAt, at.globalStep());
        assertTrue(at.message().contains("epoch 2, step 5"), at.message());
        assertEquals(1, r.state().completedEpochs(), "the last good checkpoint is epoch 1's");
    }

    @Test
    void refusesAFolderHoldingARunAndEmbeddingsOfAnotherBackbone(@TempDir Path out) throws IOException {
        RunConfig c = config(1);
        HeadTrainingRun.start(out.resolve("run"), c, open(c), LINEAR, RunListener.NONE, () -> false);
        InvalidInputException busy = assertThrows(InvalidInputException.class,
                () -> HeadTrainingRun.start(out.resolve("run"), c, open(c), LINEAR, RunListener.NONE, () -> false));
        assertEquals("out", busy.field());
        RunData d = open(c);
        RunData otherBackbone = new RunData(d.train(), d.validation(), "ab".repeat(32));
        InvalidInputException wrong = assertThrows(InvalidInputException.class,
                () -> HeadTrainingRun.resume(out.resolve("run"), otherBackbone, LINEAR, RunListener.NONE, () -> false));
        assertEquals("checkpoint", wrong.field());
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> HeadTrainingRun.resume(out.resolve("empty"), d, LINEAR, RunListener.NONE, () -> false));
        assertEquals("out", none.field());
    }

    @Test
    void checkpointWeightsRoundTripThroughRestore(@TempDir Path out) throws IOException {
        RunConfig c = config(1);
        RunResult r = HeadTrainingRun.start(out.resolve("run"), c, open(c), LINEAR, RunListener.NONE, () -> false);
        StateDict[] saved = new RunDirectory(r.directory(), RunDirectory.HEAD).load(1);
        LinearTestHead h = new LinearTestHead(c, 512, LearningRate.constant(1e-3));
        h.restore(saved[0], saved[1]);
        assertArrayEquals(saved[0].get("linear.weight").toFloatArray(), h.weights().get("linear.weight").toFloatArray());
        assertEquals(r.state().globalStep(), h.optimizerState().get("steps").getLong(0));
    }
}
