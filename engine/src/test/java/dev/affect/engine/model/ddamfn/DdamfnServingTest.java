package dev.affect.engine.model.ddamfn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Split;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * How Ddamfn loads, batches, pads, chunks and shares workers, contexts and workspaces, on {@link FakeBackend} (fast, so
 * every path is covered); the numerics are in DdamfnParityTest and DdamfnBucketsOnBackendTest.
 */
class DdamfnServingTest {
    static final List<String> LE = DdamfnNetwork.servingOutputs();

    static Path eightClass() {
        return ModelFixtures.reference("ddamfn_8_class.safetensors");
    }

    static Tensor frames(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * FakeBackend.FRAME];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, n, 3, 112, 112);
    }

    /** What the fake computes for frame i alone. */
    static float[] expectedLogits(Tensor frames, int classes) {
        int n = frames.shape().dim(0);
        float[] out = new float[n * classes];
        for (int i = 0; i < n; i++) {
            float[] f = frames.slice(i, i + 1).toFloatArray();
            for (int c = 0; c < classes; c++) {
                out[i * classes + c] = FakeBackend.logit(f, c);
            }
        }
        return out;
    }

    @Test
    void everyBucketIsCompiledAtLoadAndNeverAgain() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake)) {
            assertEquals(BatchBuckets.defaults(), model.buckets());
            assertEquals(6, fake.compiles.get());
            assertEquals(6, model.executableCount());
            assertEquals(0, model.contextCount(), "contexts are made on first use");
            assertEquals(0, fake.workspaces.get(), "workspaces are made on first use");
            assertEquals(LE, model.outputNames());
            for (int n : new int[] {1, 3, 17, 32, 40, 100}) {
                Map<String, Tensor> out = model.run(frames(n, n), LE);
                assertEquals(Shape.of(n, 8), out.get(DdamfnNetwork.LOGITS).shape());
                assertEquals(Shape.of(n, 512), out.get(DdamfnNetwork.EMBEDDING).shape());
            }
            assertEquals(6, fake.compiles.get(), "nothing compiled on the request path");
            assertTrue(fake.misuse.isEmpty(), fake.misuse.toString());
        }
    }

    @Test
    void batchOfThreeRunsOnBucketFourPaddedWithZerosAndEqualsThreeSingleRuns() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake, Ddamfn.Options.serving().withWorkers(1))) {
            Tensor four = frames(4, 1);
            model.run(four, LE); // leaves a non-zero 4th frame in bucket 4's input buffer
            fake.runs.clear();
            Tensor three = frames(3, 2);
            Map<String, Tensor> batch = model.run(three, LE);
            assertEquals(List.of(new FakeBackend.Run(4, 3)), fake.runs, "bucket 4, the 4th frame zeroed");
            fake.runs.clear();
            for (int i = 0; i < 3; i++) {
                Map<String, Tensor> one = model.run(three.slice(i, i + 1), LE);
                for (String name : LE) {
                    Tensor b = batch.get(name);
                    assertArrayEquals(one.get(name).toFloatArray(), b.slice(i, i + 1).toFloatArray(), name + " frame " + i);
                }
            }
            assertEquals(List.of(new FakeBackend.Run(1, 1), new FakeBackend.Run(1, 1), new FakeBackend.Run(1, 1)), fake.runs);
            assertArrayEquals(expectedLogits(three, 8), batch.get(DdamfnNetwork.LOGITS).toFloatArray());
        }
    }

    @Test
    void batchLargerThanTheLargestBucketRunsInChunks() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake)) {
            Tensor forty = frames(40, 40);
            Map<String, Tensor> out = model.run(forty, LE);
            assertEquals(List.of(new FakeBackend.Run(32, 32), new FakeBackend.Run(8, 8)), fake.runs);
            assertArrayEquals(expectedLogits(forty, 8), out.get(DdamfnNetwork.LOGITS).toFloatArray());
            Tensor last = model.run(forty.slice(39, 40), LE).get(DdamfnNetwork.EMBEDDING);
            assertArrayEquals(last.toFloatArray(), out.get(DdamfnNetwork.EMBEDDING).slice(39, 40).toFloatArray());
            fake.runs.clear();
            model.run(frames(37, 3), LE);
            assertEquals(List.of(new FakeBackend.Run(32, 32), new FakeBackend.Run(8, 5)), fake.runs);
        }
    }

    @Test
    void twoThreadsGetWhatSerialRunsGet() throws Exception {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake, Ddamfn.Options.serving().withWorkers(2));
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Tensor a = frames(3, 10);
            Tensor b = frames(4, 11);
            float[] serialA = model.run(a, LE).get(DdamfnNetwork.LOGITS).toFloatArray();
            float[] serialB = model.run(b, LE).get(DdamfnNetwork.LOGITS).toFloatArray();
            List<Future<Integer>> done = new ArrayList<>();
            for (Tensor in : List.of(a, b)) {
                float[] want = in == a ? serialA : serialB;
                Callable<Integer> task = () -> {
                    for (int i = 0; i < 200; i++) {
                        assertArrayEquals(want, model.run(in, LE).get(DdamfnNetwork.LOGITS).toFloatArray(), "iteration " + i);
                    }
                    return 200;
                };
                done.add(pool.submit(task));
            }
            for (Future<Integer> f : done) {
                assertEquals(200, f.get());
            }
            assertTrue(fake.misuse.isEmpty(), fake.misuse.toString());
            assertTrue(model.contextCount() <= 2, "bucket 4 holds at most 2 contexts: " + model.contextCount());
            assertTrue(model.workerCount() <= 2 && fake.workspaces.get() <= 2, "at most 2 workers: " + model.workerCount());
        }
    }

    @Test
    void oneWorkerRunsEveryBucketOnOneWorkspaceAsLargeAsTheLargestBucketNeeds() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake)) {
            long largest = 32L * FakeBackend.FRAME * Float.BYTES;
            assertEquals(largest, model.workspaceBytes());
            Map<Integer, float[]> first = new LinkedHashMap<>();
            for (int n : new int[] {1, 8, 32}) {
                Tensor in = frames(n, n);
                float[] logits = model.run(in, LE).get(DdamfnNetwork.LOGITS).toFloatArray();
                assertArrayEquals(expectedLogits(in, 8), logits, "batch " + n);
                first.put(n, logits);
            }
            assertEquals(1, model.workerCount(), "one caller at a time needs one worker");
            assertEquals(1, fake.workspaces.get());
            assertEquals(List.of(largest), fake.workspaceSizes, "one workspace, the largest bucket's size");
            assertEquals(3, model.contextCount(), "one context per bucket run, all on that workspace");
            // each run overwrote the other buckets' buffers (as on a real backend): results must not change
            for (int n : new int[] {32, 1, 8, 1, 32}) {
                assertArrayEquals(first.get(n), model.run(frames(n, n), LE).get(DdamfnNetwork.LOGITS).toFloatArray(),
                        "batch " + n + " again");
            }
            Tensor forty = frames(40, 40);
            assertArrayEquals(expectedLogits(forty, 8), model.run(forty, LE).get(DdamfnNetwork.LOGITS).toFloatArray(),
                    "32 + 8 chunks on one worker");
            assertEquals(1, fake.workspaces.get());
            assertEquals(3, model.contextCount());
            assertTrue(fake.misuse.isEmpty(), fake.misuse.toString());
        }
        assertEquals(0, fake.openWorkspaces.get());
    }

    @Test
    void concurrentCallersOfEveryBucketGetWhatSerialRunsGetOnSeparateWorkspaces() throws Exception {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake, Ddamfn.Options.serving().withWorkers(2));
             ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> done = new ArrayList<>();
            for (int n : new int[] {1, 8, 40}) {
                Tensor in = frames(n, 100 + n);
                float[] want = expectedLogits(in, 8);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        assertArrayEquals(want, model.run(in, LE).get(DdamfnNetwork.LOGITS).toFloatArray(), "batch " + n);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertTrue(model.workerCount() <= 2, "at most 2 workers: " + model.workerCount());
            assertEquals(model.workerCount(), fake.workspaces.get(), "one workspace per worker");
            assertTrue(model.contextCount() <= 2 * 3, "at most one context per bucket and worker: " + model.contextCount());
            assertTrue(fake.misuse.isEmpty(), fake.misuse.toString());
        }
        assertEquals(0, fake.openWorkspaces.get());
        assertEquals(0, fake.openContexts.get());
    }

    @Test
    void callersBeyondTheContextLimitWaitInsteadOfSharing() throws Exception {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake,
                Ddamfn.Options.serving().withBuckets(BatchBuckets.of(2)).withWorkers(1));
             ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Tensor in = frames(2, 5);
            float[] want = expectedLogits(in, 8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        assertArrayEquals(want, model.run(in, LE).get(DdamfnNetwork.LOGITS).toFloatArray());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(1, fake.contexts.get());
            assertEquals(1, fake.workspaces.get());
            assertTrue(fake.misuse.isEmpty(), fake.misuse.toString());
        }
    }

    @Test
    void embedWritesIntoTheCallersTensor() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake)) {
            assertEquals(512, model.embeddingSize());
            Tensor in = frames(5, 9);
            Tensor out = Tensor.zeros(Shape.of(5, 512));
            model.embed(in, out);
            assertArrayEquals(model.run(in, LE).get(DdamfnNetwork.EMBEDDING).toFloatArray(), out.toFloatArray());
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.embed(in, Tensor.zeros(Shape.of(4, 512))));
            assertEquals("out", e.field());
        }
    }

    @Test
    void badFramesAreTheCallersErrorNamingInput() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake)) {
            for (Shape bad : List.of(Shape.of(1, 3, 112, 111), Shape.of(3, 112, 112), Shape.of(0, 3, 112, 112), Shape.of(2, 1, 112, 112))) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.run(Tensor.zeros(bad), LE), bad.toString());
                assertEquals("input", e.field());
            }
            for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                Tensor in = frames(3, 4);
                in.setFloat(FakeBackend.FRAME + 17, v);
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.run(in, LE));
                assertEquals("input", e.field());
                assertTrue(e.getMessage().contains("frame 1"), e.getMessage());
                assertThrows(InvalidInputException.class, () -> model.embed(in, Tensor.zeros(Shape.of(3, 512))));
            }
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.run(frames(1, 1), List.of("features")));
            assertEquals("outputs", e.field());
            assertThrows(InvalidInputException.class, () -> model.infer(frames(1, 1)), "heads were not selected for serving");
            assertTrue(fake.runs.isEmpty(), "nothing ran");
        }
    }

    @Test
    void closeIsIdempotentAndFreesEverything() throws IOException {
        FakeBackend fake = new FakeBackend();
        Ddamfn model = Ddamfn.load(eightClass(), fake);
        model.run(frames(3, 1), LE);
        model.run(frames(1, 1), LE);
        assertEquals(2, fake.openContexts.get());
        assertEquals(1, fake.openWorkspaces.get(), "both buckets' contexts on one worker's workspace");
        ParameterStore store = fake.lastStore;
        model.close();
        model.close();
        assertEquals(0, fake.openContexts.get());
        assertEquals(0, fake.openWorkspaces.get());
        assertTrue(fake.misuse.isEmpty(), fake.misuse.toString());
        assertEquals(0, fake.openExecutables.get());
        assertFalse(fake.preparedOpen.get());
        assertThrows(IllegalStateException.class, () -> store.get("fc.weight"), "the parameters are freed");
        assertThrows(IllegalStateException.class, () -> model.run(frames(1, 1), LE));
    }

    @Test
    void allCheckpointFormatsGiveTheSameParameters() throws IOException {
        FakeBackend fake = new FakeBackend();
        Map<String, float[]> fromSafetensors = new LinkedHashMap<>();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake)) {
            for (String k : fake.lastStore.names()) {
                fromSafetensors.put(k, fake.lastStore.get(k).toFloatArray());
            }
        }
        try (Ddamfn model = Ddamfn.load(ModelFixtures.reference("ddamfn_8_class.pth"), fake)) {
            assertEquals(fromSafetensors.keySet(), fake.lastStore.names());
            fromSafetensors.forEach((k, v) -> assertArrayEquals(v, fake.lastStore.get(k).toFloatArray(), k));
        }
        // Only what the graph reads is stored: no MDConv bn/prelu, no num_batches_tracked, no DDAMNet.bn.
        assertFalse(fromSafetensors.containsKey("features.2.conv_dw.bn.weight"));
        assertFalse(fromSafetensors.containsKey("bn.weight"));
        assertTrue(fromSafetensors.containsKey("features.2.conv_dw.mixed_depthwise_conv.2.weight"));
        try (Ddamfn model = Ddamfn.load(ModelFixtures.reference("ddamfn_7_class_bare.pth"), fake)) {
            assertEquals(new DdamfnConfig(7, 4), model.config());
        }
        try (Ddamfn model = Ddamfn.load(ModelFixtures.training("init.safetensors"), fake, Ddamfn.Options.training(4))) {
            assertEquals(new DdamfnConfig(8, 2), model.config(), "num_batches_tracked may be absent");
        }
    }

    @Test
    void aWrongCheckpointNamesTheFileOrTheKeys() throws IOException {
        FakeBackend fake = new FakeBackend();
        Path lstm = ModelFixtures.reference("lstm_head.pth");
        InvalidInputException notDdamfn = assertThrows(InvalidInputException.class, () -> Ddamfn.load(lstm, fake));
        assertEquals(lstm.toString(), notDdamfn.field());
        Path sevenClass = ModelFixtures.reference("ddamfn_7_class_bare.pth");
        StateDict seven = CheckpointFiles.read(sevenClass);
        Map<String, Tensor> extra = new LinkedHashMap<>(seven.asMap());
        extra.put("module.extra.weight", Tensor.zeros(Shape.of(2)));
        InvalidInputException unexpected = assertThrows(InvalidInputException.class,
                () -> Ddamfn.create(new StateDict(extra), fake, Ddamfn.Options.serving()));
        assertTrue(unexpected.getMessage().contains("1 unexpected [module.extra.weight]"), unexpected.getMessage());
        StateDict sd = CheckpointFiles.read(eightClass());
        Map<String, Tensor> missing = new LinkedHashMap<>(sd.asMap());
        missing.remove("features.5.model.3.CA.conv2.bias");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Ddamfn.create(new StateDict(missing), fake, Ddamfn.Options.serving()));
        assertEquals("checkpoint", e.field());
        assertTrue(e.getMessage().contains("1 missing [features.5.model.3.CA.conv2.bias]"), e.getMessage());
        Map<String, Tensor> reshaped = new LinkedHashMap<>(sd.asMap());
        reshaped.put("features.0.conv.weight", Tensor.zeros(Shape.of(64, 3, 5, 5)));
        e = assertThrows(InvalidInputException.class, () -> Ddamfn.create(new StateDict(reshaped), fake, Ddamfn.Options.serving()));
        assertTrue(e.getMessage().contains("features.0.conv.weight"), e.getMessage());
        assertEquals(0, fake.compiles.get(), "nothing prepared for a bad checkpoint");
    }

    @Test
    void trainingModeNeverPadsOrSplitsABatch() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake, Ddamfn.Options.training(4))) {
            assertEquals(DdamfnMode.TRAINING, model.mode());
            assertTrue(model.outputNames().contains("features.0.bn.running_mean"));
            assertTrue(model.outputNames().contains("Linear.bn.running_var"));
            Map<String, Tensor> out = model.run(frames(4, 1), List.of("logits", "Linear.bn.running_var"));
            assertEquals(Shape.of(512), out.get("Linear.bn.running_var").shape());
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.run(frames(3, 1), LE));
            assertEquals("input", e.field());
        }
        assertEquals("buckets", assertThrows(InvalidInputException.class, () -> Ddamfn.Options.training(1, 4)).field());
    }

    @Test
    void inferenceRunsTheRewrittenGraphTrainingTheAuthors() throws IOException {
        FakeBackend fake = new FakeBackend();
        try (Ddamfn model = Ddamfn.load(eightClass(), fake)) {
            assertTrue(model.graph().nodes().stream().noneMatch(n -> n.op() instanceof Split
                    || n.op() instanceof BatchNorm), "inference passes applied");
            assertTrue(model.graph().nodes().stream().anyMatch(n -> n.op() instanceof FusedConv2d));
        }
        try (Ddamfn model = Ddamfn.load(eightClass(), fake, Ddamfn.Options.training(2))) {
            assertEquals(DdamfnNetworkTest.EXECUTED_BNS, model.graph().nodes().stream()
                    .filter(n -> n.op() instanceof BatchNormTraining).count(), "training keeps the authors' graph");
        }
    }
}
