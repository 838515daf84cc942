package dev.affect.server.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.FcHead;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.HeadState;
import dev.affect.engine.model.heads.LstmHead;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.proto.inference.GRPCInferenceServiceGrpc;
import dev.affect.proto.inference.InferParameter;
import dev.affect.proto.inference.InferTensorContents;
import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.proto.inference.ModelInferResponse;
import dev.affect.proto.inference.ModelMetadataRequest;
import dev.affect.proto.inference.ModelMetadataResponse;
import dev.affect.proto.inference.ModelReadyRequest;
import dev.affect.proto.inference.ModelStatisticsRequest;
import dev.affect.proto.inference.ModelStatisticsResponse;
import dev.affect.proto.inference.ModelStreamInferResponse;
import dev.affect.proto.inference.RepositoryIndexRequest;
import dev.affect.proto.inference.RepositoryModelLoadRequest;
import dev.affect.proto.inference.RepositoryModelUnloadRequest;
import dev.affect.proto.inference.ServerLiveRequest;
import dev.affect.proto.inference.ServerMetadataRequest;
import dev.affect.proto.inference.ServerReadyRequest;
import dev.affect.server.Fixtures;
import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** inference.GRPCInferenceService in-process over the fixture pipeline "ddamfn" (LSTM va, FC expr, LSTM au). */
class InferenceServiceImplTest {
    private static Backend backend;
    private static PipelineRegistry registry;
    private static ServedPipeline pipeline;

    private InferenceServiceImpl service;
    private Server server;
    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeAll
    static void load() throws IOException {
        Path checkpoint = Fixtures.reference("ddamfn_8_class.pth");
        Path training = checkpoint.getParent().getParent().resolve("training");
        assumeTrue(Files.isDirectory(training), "training fixtures not found at " + training);
        backend = Backends.open("auto", new BackendOptions(0));
        Ddamfn ddamfn = Ddamfn.load(checkpoint, backend);
        Head va = Head.load(training.resolve("lstm_va_adam/init.safetensors"), backend);
        Head expr = Head.load(training.resolve("fc_expr_adam/init.safetensors"), backend);
        Head au = Head.load(training.resolve("lstm_au_adamw/init.safetensors"), backend);
        registry = new PipelineRegistry();
        pipeline = registry.register(new ServedPipeline("ddamfn", ddamfn, Map.of(Task.VA, va, Task.EXPR, expr, Task.AU, au),
                "fixture", false));
    }

    @AfterAll
    static void unload() {
        if (registry != null) {
            registry.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(OipOptions options) throws IOException {
        service = new InferenceServiceImpl(registry, new ServerMetrics(), options);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    private void start() throws IOException {
        start(OipOptions.defaults());
    }

    @AfterEach
    void stop() throws InterruptedException {
        Fixtures.shutdown(channel, server, 5);
        if (service != null) {
            service.close();
        }
    }

    // ---- helpers

    private static ModelInferRequest.Builder raw(String model, String input, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(input).setDatatype("FP32")
                        .addAllShape(Arrays.stream(shape).boxed().toList()))
                .addRawInputContents(ByteString.copyFrom(b.array()));
    }

    private static ModelInferRequest.Builder typed(String model, String input, float[] values, long... shape) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : values) {
            c.addFp32Contents(v);
        }
        return ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(input).setDatatype("FP32")
                        .addAllShape(Arrays.stream(shape).boxed().toList()).setContents(c));
    }

    private static ModelInferRequest.Builder sequence(ModelInferRequest.Builder r, InferParameter id, boolean start,
            boolean end) {
        return r.putParameters("sequence_id", id)
                .putParameters("sequence_start", InferParameter.newBuilder().setBoolParam(start).build())
                .putParameters("sequence_end", InferParameter.newBuilder().setBoolParam(end).build());
    }

    private static InferParameter id(long id) {
        return InferParameter.newBuilder().setInt64Param(id).build();
    }

    private static InferParameter id(String id) {
        return InferParameter.newBuilder().setStringParam(id).build();
    }

    private static float[] output(ModelInferResponse r, String name) {
        for (int i = 0; i < r.getOutputsCount(); i++) {
            if (r.getOutputs(i).getName().equals(name)) {
                ByteBuffer b = r.getRawOutputContents(i).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[b.remaining() / 4];
                b.asFloatBuffer().get(v);
                return v;
            }
        }
        throw new AssertionError("no output " + name + " in " + r.getOutputsList());
    }

    private static float[] embeddings(int rows, long seed) {
        Random random = new Random(seed);
        float[] v = new float[rows * 512];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] slice(float[] v, int fromRow, int toRow, int width) {
        return Arrays.copyOfRange(v, fromRow * width, toRow * width);
    }

    private static float[] concat(float[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The head's values for a whole clip from a zero state, straight from the engine. */
    private static float[] lstmReference(Task task, float[] clip, int rows) {
        LstmHead head = (LstmHead) pipeline.heads().get(task);
        try (TensorScope scope = new TensorScope()) {
            HeadState state = head.newState(scope);
            Tensor out = Tensor.zeros(Shape.of(rows, head.outputSize()));
            head.sequence(Tensor.of(clip, rows, 512), state, out);
            return out.toFloatArray();
        }
    }

    private static StatusRuntimeException fails(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return e;
    }

    private static float[] input() throws IOException {
        return NpyReader.read(Fixtures.reference("input.npy")).toFloatArray();
    }

    private static long[] inputShape() throws IOException {
        return NpyReader.read(Fixtures.reference("input.npy")).shape().longDims();
    }

    // ---- backbone

    @Test
    void backboneLogitsMatchTheFixtureOverRawAndTypedContents() throws IOException {
        start();
        float[] expected = NpyReader.read(Fixtures.reference("logits.npy")).toFloatArray();
        long[] shape = inputShape();
        ModelInferResponse viaRaw = stub.modelInfer(raw("ddamfn", "input", input(), shape).setId("r1").build());
        assertEquals("r1", viaRaw.getId());
        assertEquals("ddamfn", viaRaw.getModelName());
        assertEquals("1", viaRaw.getModelVersion());
        assertEquals(List.of("logits", "embedding"), viaRaw.getOutputsList().stream().map(o -> o.getName()).toList());
        assertEquals(List.of(shape[0], 8L), viaRaw.getOutputs(0).getShapeList());
        assertEquals(List.of(shape[0], 512L), viaRaw.getOutputs(1).getShapeList());
        assertFalse(viaRaw.getOutputs(0).hasContents(), "numeric outputs travel raw");
        Fixtures.assertClose(output(viaRaw, "logits"), expected);

        ModelInferResponse viaTyped = stub.modelInfer(typed("ddamfn", "input", input(), shape).build());
        Fixtures.assertClose(output(viaTyped, "logits"), expected);
        assertEquals(2, viaTyped.getRawOutputContentsCount());
    }

    @Test
    void requestedOutputsSelectWhatComesBack() throws IOException {
        start();
        ModelInferResponse r = stub.modelInfer(raw("ddamfn", "input", input(), inputShape())
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("embedding")).build());
        assertEquals(1, r.getOutputsCount());
        assertEquals("embedding", r.getOutputs(0).getName());
        assertEquals(1, r.getRawOutputContentsCount());
        Fixtures.assertClose(output(r, "embedding"), NpyReader.read(Fixtures.reference("embedding.npy")).toFloatArray());

        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(raw("ddamfn", "input",
                new float[3 * 112 * 112], 1, 3, 112, 112)
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("features")).build()));
        assertTrue(e.getStatus().getDescription().startsWith("unexpected inference output 'features' for model 'ddamfn'"),
                e.getStatus().getDescription());
    }

    // ---- heads and sequences

    @Test
    void lstmHeadOverThreeRequestsOfOneSequenceEqualsTheWholeClip() throws IOException {
        start();
        int t = 10;
        float[] clip = embeddings(t, 1);
        float[] expected = lstmReference(Task.VA, clip, t);
        ModelInferResponse a = stub.modelInfer(sequence(raw("ddamfn.va", "embedding", slice(clip, 0, 4, 512), 4, 512),
                id(42), true, false).build());
        ModelInferResponse b = stub.modelInfer(sequence(raw("ddamfn.va", "embedding", slice(clip, 4, 7, 512), 3, 512),
                id(42), false, false).build());
        ModelInferResponse c = stub.modelInfer(sequence(typed("ddamfn.va", "embedding", slice(clip, 7, 10, 512), 3, 512),
                id(42), false, true).build());
        assertEquals(List.of(3L, 2L), c.getOutputs(0).getShapeList());
        Fixtures.assertClose(concat(output(a, "va"), output(b, "va"), output(c, "va")), expected);

        // ended: a request without START is refused in Triton's words
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(sequence(
                raw("ddamfn.va", "embedding", slice(clip, 0, 1, 512), 1, 512), id(42), false, false).build()));
        assertEquals("inference request for sequence 42 to model 'ddamfn.va' must specify the START flag on the first"
                + " request of the sequence", e.getStatus().getDescription());
    }

    @Test
    void stringIdsAndStartRestartsALiveSequence() throws IOException {
        start();
        float[] clip = embeddings(6, 2);
        float[] expected = lstmReference(Task.AU, clip, 6);
        stub.modelInfer(sequence(raw("ddamfn.au", "embedding", embeddings(3, 9), 3, 512), id("cam-1"), true, false).build());
        // START again on the live id: it starts over from zero
        ModelInferResponse a = stub.modelInfer(sequence(raw("ddamfn.au", "embedding", slice(clip, 0, 2, 512), 2, 512),
                id("cam-1"), true, false).build());
        ModelInferResponse b = stub.modelInfer(sequence(raw("ddamfn.au", "embedding", slice(clip, 2, 6, 512), 4, 512),
                id("cam-1"), false, true).build());
        Fixtures.assertClose(concat(output(a, "au"), output(b, "au")), expected);
    }

    @Test
    void lstmHeadWithoutSequenceIdRunsTheRowsFromAZeroState() throws IOException {
        start();
        float[] clip = embeddings(5, 3);
        ModelInferResponse r = stub.modelInfer(raw("ddamfn.va", "embedding", clip, 5, 512).build());
        Fixtures.assertClose(output(r, "va"), lstmReference(Task.VA, clip, 5));
        ModelInferResponse again = stub.modelInfer(raw("ddamfn.va", "embedding", clip, 5, 512).build());
        assertArrayEquals(output(r, "va"), output(again, "va"));
    }

    @Test
    void fcHeadIgnoresSequenceParameters() throws IOException {
        start();
        float[] rows = embeddings(4, 4);
        FcHead head = (FcHead) pipeline.heads().get(Task.EXPR);
        Tensor expected = Tensor.zeros(Shape.of(4, head.outputSize()));
        head.forward(Tensor.of(rows, 4, 512), expected);
        // no START on an unknown id: a stateless model does not care
        ModelInferResponse r = stub.modelInfer(sequence(raw("ddamfn.expr", "embedding", rows, 4, 512), id(7), false, false)
                .build());
        assertEquals(List.of(4L, 8L), r.getOutputs(0).getShapeList());
        Fixtures.assertClose(output(r, "expr"), expected.toFloatArray());
    }

    @Test
    void anIdleSequenceTimesOut() throws IOException, InterruptedException {
        start(OipOptions.defaults().withSequenceIdle(Duration.ofMillis(200)));
        float[] one = embeddings(1, 5);
        stub.modelInfer(sequence(raw("ddamfn.va", "embedding", one, 1, 512), id(5), true, false).build());
        stub.modelInfer(sequence(raw("ddamfn.va", "embedding", one, 1, 512), id(5), false, false).build());
        Thread.sleep(600);
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(
                sequence(raw("ddamfn.va", "embedding", one, 1, 512), id(5), false, false).build()));
        assertEquals("inference request for sequence 5 to model 'ddamfn.va' must specify the START flag on the first"
                + " request of the sequence", e.getStatus().getDescription());
    }

    @Test
    void liveSequencesAreCapped() throws IOException {
        start(OipOptions.defaults().withMaxSequences(1));
        float[] one = embeddings(1, 6);
        stub.modelInfer(sequence(raw("ddamfn.va", "embedding", one, 1, 512), id(1), true, false).build());
        StatusRuntimeException e = fails(Status.Code.RESOURCE_EXHAUSTED, () -> stub.modelInfer(
                sequence(raw("ddamfn.va", "embedding", one, 1, 512), id(2), true, false).build()));
        assertTrue(e.getStatus().getDescription().contains("limit is 1"), e.getStatus().getDescription());
        // ending the first frees its slot
        stub.modelInfer(sequence(raw("ddamfn.va", "embedding", one, 1, 512), id(1), false, true).build());
        stub.modelInfer(sequence(raw("ddamfn.va", "embedding", one, 1, 512), id(2), true, true).build());
    }

    @Test
    void aRawHeadAnswersItsValuesAsOutput() throws IOException {
        start();
        registry.registerHead("raw-lstm", Head.load(Fixtures.reference("lstm_head.pth"), backend));
        try {
            LstmHead head = (LstmHead) registry.inferenceModel("raw-lstm").map(m -> ((dev.affect.server.pipeline.InferenceModel
                    .HeadModel) m).head()).orElseThrow();
            assertTrue(head.task().isEmpty(), "the fixture's task layer is 'out', no task");
            ModelMetadataResponse meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("raw-lstm").build());
            assertEquals("output", meta.getOutputs(0).getName());
            assertEquals(List.of(-1L, (long) head.outputSize()), meta.getOutputs(0).getShapeList());
            float[] clip = embeddings(4, 11);
            Tensor expected = Tensor.zeros(Shape.of(4, head.outputSize()));
            try (TensorScope scope = new TensorScope()) {
                head.sequence(Tensor.of(clip, 4, 512), head.newState(scope), expected);
            }
            ModelInferResponse r = stub.modelInfer(sequence(raw("raw-lstm", "embedding", clip, 4, 512), id("s"), true, true)
                    .build());
            Fixtures.assertClose(output(r, "output"), expected.toFloatArray());
        } finally {
            registry.unload("raw-lstm");
        }
    }

    @Test
    void aFullExecutorAnswersResourceExhausted() throws Exception {
        start(OipOptions.defaults().withCompute(1, 1));
        float[] frames = new float[8 * 3 * 112 * 112];
        var async = GRPCInferenceServiceGrpc.newFutureStub(channel);
        List<com.google.common.util.concurrent.ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(async.modelInfer(raw("ddamfn", "input", frames, 8, 3, 112, 112).build()));
        }
        int ok = 0;
        int exhausted = 0;
        for (var call : calls) {
            try {
                call.get(60, TimeUnit.SECONDS);
                ok++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(e.getCause()).getCode());
                exhausted++;
            }
        }
        assertTrue(ok >= 1 && exhausted >= 1, ok + " answered, " + exhausted + " refused");
    }

    // ---- errors

    @Test
    void errorsNameTheProblemInTritonsWords() throws IOException {
        start();
        float[] frame = new float[3 * 112 * 112];
        StatusRuntimeException e = fails(Status.Code.NOT_FOUND,
                () -> stub.modelInfer(raw("nope", "input", frame, 1, 3, 112, 112).build()));
        assertEquals("Request for unknown model: 'nope' is not found", e.getStatus().getDescription());
        fails(Status.Code.NOT_FOUND, () -> stub.modelInfer(raw("ddamfn", "input", frame, 1, 3, 112, 112)
                .setModelVersion("2").build()));

        e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(raw("ddamfn", "input", frame, 1, 3, 112, 112)
                .putParameters("sequence_id", InferParameter.newBuilder().setBoolParam(true).build()).build()));
        assertEquals("invalid value type for 'sequence_id' parameter, expected int64_param or string_param.",
                e.getStatus().getDescription());

        // raw and typed at once
        ModelInferRequest.Builder both = raw("ddamfn", "input", frame, 1, 3, 112, 112);
        both.getInputsBuilder(0).setContents(InferTensorContents.newBuilder().addFp32Contents(1f));
        e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(both.build()));
        assertTrue(e.getStatus().getDescription().contains("'input'"), e.getStatus().getDescription());

        e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(raw("ddamfn", "input", new float[10], 1, 3, 112, 112)
                .build()));
        assertTrue(e.getStatus().getDescription().startsWith("input byte size mismatch for input 'input'"),
                e.getStatus().getDescription());
        e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(raw("ddamfn", "input", frame, 1, 3, 112, 111)
                .build()));
        assertTrue(e.getStatus().getDescription().startsWith("unexpected shape for input 'input'"),
                e.getStatus().getDescription());
        e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(typed("ddamfn", "input", new float[5], 1, 3, 112, 112)
                .build()));
        assertTrue(e.getStatus().getDescription().contains("'input'"), e.getStatus().getDescription());
        ModelInferRequest.Builder fp64 = raw("ddamfn", "input", frame, 1, 3, 112, 112);
        fp64.getInputsBuilder(0).setDatatype("FP64");
        e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(fp64.build()));
        assertTrue(e.getStatus().getDescription().contains("data-type is 'FP64'"), e.getStatus().getDescription());
        e = fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(raw("ddamfn", "frames", frame, 1, 3, 112, 112)
                .build()));
        assertTrue(e.getStatus().getDescription().startsWith("unexpected inference input 'frames' for model 'ddamfn'"),
                e.getStatus().getDescription());
    }

    @Test
    void nonFiniteValuesAreRefused() throws IOException {
        start();
        float[] rows = embeddings(2, 7);
        rows[600] = Float.NaN;
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT,
                () -> stub.modelInfer(raw("ddamfn.expr", "embedding", rows, 2, 512).build()));
        assertTrue(e.getStatus().getDescription().contains("NaN in row 1"), e.getStatus().getDescription());
        float[] frame = new float[3 * 112 * 112];
        frame[3] = Float.POSITIVE_INFINITY;
        fails(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(typed("ddamfn", "input", frame, 1, 3, 112, 112).build()));
    }

    // ---- streaming

    @Test
    void streamAnswersInOrderAndGoesOnAfterABadRequest() throws Exception {
        start(OipOptions.defaults().withStreamInFlight(2));
        float[] clip = embeddings(6, 8);
        List<ModelStreamInferResponse> got = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ModelStreamInferResponse r) {
                        synchronized (got) {
                            got.add(r);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (int i = 0; i < 6; i++) {
            requests.onNext(sequence(raw("ddamfn.va", "embedding", slice(clip, i, i + 1, 512), 1, 512), id(77), i == 0,
                    i == 5).setId("f" + i).build());
            if (i == 2) {
                requests.onNext(raw("missing", "embedding", new float[512], 1, 512).setId("bad").build());
            }
        }
        requests.onCompleted();
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(List.of("f0", "f1", "f2", "bad", "f3", "f4", "f5"),
                got.stream().map(r -> r.getInferResponse().getId()).toList());
        assertEquals("Request for unknown model: 'missing' is not found", got.get(3).getErrorMessage());
        List<float[]> values = new ArrayList<>();
        for (ModelStreamInferResponse r : got) {
            if (r.getErrorMessage().isEmpty()) {
                values.add(output(r.getInferResponse(), "va"));
            }
        }
        Fixtures.assertClose(concat(values.toArray(float[][]::new)), lstmReference(Task.VA, clip, 6));
    }

    // ---- health, metadata, statistics, repository

    @Test
    void healthAndMetadata() throws IOException {
        start();
        assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("ddamfn.va").build()).getReady());
        fails(Status.Code.NOT_FOUND, () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()));
        var server = stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertEquals("affect", server.getName());
        assertTrue(server.getExtensionsList().containsAll(List.of("sequence", "sequence(string_id)", "statistics")));

        ModelMetadataResponse backbone = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("ddamfn").build());
        assertEquals("affect_ddamfn", backbone.getPlatform());
        assertEquals(List.of("1"), backbone.getVersionsList());
        assertEquals("input", backbone.getInputs(0).getName());
        assertEquals("FP32", backbone.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 3L, 112L, 112L), backbone.getInputs(0).getShapeList());
        assertEquals(List.of(-1L, 8L), backbone.getOutputs(0).getShapeList());
        assertEquals(List.of(-1L, 512L), backbone.getOutputs(1).getShapeList());

        ModelMetadataResponse va = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("ddamfn.va").build());
        assertEquals("affect_lstm_head", va.getPlatform());
        assertEquals(List.of(-1L, 512L), va.getInputs(0).getShapeList());
        assertEquals("va", va.getOutputs(0).getName());
        assertEquals(List.of(-1L, 2L), va.getOutputs(0).getShapeList());
        ModelMetadataResponse expr = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("ddamfn.expr").build());
        assertEquals("affect_fc_head", expr.getPlatform());
        assertEquals(List.of(-1L, 8L), expr.getOutputs(0).getShapeList());
    }

    @Test
    void statisticsCountRequests() throws IOException {
        start();
        stub.modelInfer(raw("ddamfn.expr", "embedding", embeddings(3, 10), 3, 512).build());
        ModelStatisticsResponse s = stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName("ddamfn.expr").build());
        assertEquals(1, s.getModelStatsCount());
        assertTrue(s.getModelStats(0).getInferenceCount() >= 3);
        assertTrue(s.getModelStats(0).getInferenceStats().getSuccess().getCount() >= 1);
        assertEquals(4, stub.modelStatistics(ModelStatisticsRequest.getDefaultInstance()).getModelStatsCount());
    }

    @Test
    void repositoryListsAndUnloads() throws IOException {
        start();
        Path training = Fixtures.reference("ddamfn_8_class.pth").getParent().getParent().resolve("training");
        registry.registerHead("solo", Head.load(training.resolve("fc_va_adam/init.safetensors"), backend));
        assertEquals(List.of("ddamfn", "ddamfn.va", "ddamfn.expr", "ddamfn.au", "solo"),
                stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList().stream()
                        .map(m -> m.getName()).toList());
        fails(Status.Code.FAILED_PRECONDITION, () -> stub.repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setModelName("ddamfn.va").build()));
        fails(Status.Code.UNIMPLEMENTED, () -> stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("solo").build()));
        stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("solo").build());
        fails(Status.Code.NOT_FOUND, () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("solo").build()));
    }
}
