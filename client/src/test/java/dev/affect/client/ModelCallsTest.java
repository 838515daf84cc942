package dev.affect.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.proto.v1.ActionUnit;
import dev.affect.proto.v1.ActionUnits;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.DescribeModelRequest;
import dev.affect.proto.v1.Expression;
import dev.affect.proto.v1.FramePrediction;
import dev.affect.proto.v1.LabelScore;
import dev.affect.proto.v1.LoadModelRequest;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import dev.affect.proto.v1.UnloadModelRequest;
import dev.affect.proto.v1.UnloadModelResponse;
import dev.affect.proto.v1.ValenceArousal;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Predict on pipelines, ModelService calls, and the typed exceptions their refusals become. */
class ModelCallsTest {
    final List<Object> received = new CopyOnWriteArrayList<>();
    InProcessAffect served;
    AffectClient client;

    @BeforeEach
    void start() throws IOException {
        served = InProcessAffect.start(new FakeAffect(), new Models());
        client = served.client;
    }

    @AfterEach
    void stop() {
        served.close();
    }

    @Test
    void predictSendsTheTasksAndMapsTheAffect() {
        List<FrameResult> results = client.predict(List.of(new byte[] {1}),
                PredictOptions.defaults().withModel("pipe").withTasks(Set.of(Task.AU, Task.VA, Task.EXPR)));
        PredictRequest sent = (PredictRequest) received.getFirst();
        assertEquals(List.of(dev.affect.proto.v1.Task.TASK_VA, dev.affect.proto.v1.Task.TASK_EXPR,
                dev.affect.proto.v1.Task.TASK_AU), sent.getTasksList());
        Affect a = results.getFirst().affect();
        assertEquals(0.5f, a.va().valence());
        assertEquals("Happiness", a.expression().top());
        assertEquals(List.of("AU12"), a.actionUnits().active());
        assertTrue(a.actionUnits().units().getFirst().active());
    }

    @Test
    void refusalsAreTypedAndCarryTheirCode() {
        var busy = assertThrows(AffectClientException.ResourceExhausted.class,
                () -> client.predict(List.of(new byte[] {1}), PredictOptions.defaults().withModel("busy")));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.code());
        var bad = assertThrows(AffectClientException.class, () -> client.predict(List.of()));
        assertInstanceOf(AffectClientException.InvalidArgument.class, bad);
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.code());
        var missing = assertThrows(AffectClientException.NotFound.class, () -> client.describeModel("nope"));
        assertEquals("NOT_FOUND: pipeline 'nope' is not loaded", missing.getMessage());
        assertEquals("pipeline 'nope' is not loaded", missing.description());
        assertThrows(AffectClientException.AlreadyExists.class, () -> client.loadModel("pipe"));
        assertThrows(AffectClientException.NotFound.class, () -> client.unloadModel("nope"));
    }

    @Test
    void describeLoadAndUnload() {
        ModelDescription d = client.describeModel("pipe");
        assertEquals(Set.of(Task.VA), d.tasks());
        assertEquals(List.of("va: fc"), d.heads());
        assertTrue(d.demo());
        ModelDescription loaded = client.loadModel("other", new PipelineFiles("/m/b.pth", "/m/va.pth", null, null));
        assertEquals("other", loaded.name());
        LoadModelRequest load = (LoadModelRequest) received.getLast();
        assertEquals("/m/b.pth", load.getSpec().getBackbone());
        assertEquals("", load.getSpec().getAuHead());
        client.loadModel("third");
        assertTrue(!((LoadModelRequest) received.getLast()).hasSpec());
        client.unloadModel("pipe");
        assertEquals("pipe", ((UnloadModelRequest) received.getLast()).getName());
    }

    @Test
    void theBuilderWantsExactlyOneOfTargetAndChannel() {
        assertThrows(IllegalStateException.class, () -> AffectClient.builder().build());
        assertThrows(IllegalArgumentException.class, () -> AffectClient.builder().target("h", 0));
        try (AffectClient c = AffectClient.builder().target("localhost", 1).plaintext().build()) {
            assertEquals("localhost:1", c.channel().authority());
        }
    }

    final class FakeAffect extends AffectServiceGrpc.AffectServiceImplBase {
        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            received.add(request);
            if (request.getFramesCount() == 0) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("no frames").asRuntimeException());
                return;
            }
            if (request.getModel().equals("busy")) {
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("queue full").asRuntimeException());
                return;
            }
            out.onNext(PredictResponse.newBuilder().setModel(request.getModel()).addPredictions(FramePrediction.newBuilder()
                    .setExpression("Happy").setAffect(dev.affect.proto.v1.Affect.newBuilder()
                            .setVa(ValenceArousal.newBuilder().setValence(0.5f).setArousal(0.1f))
                            .setExpression(Expression.newBuilder().setTop("Happiness").setTopIndex(4)
                                    .addProbabilities(LabelScore.newBuilder().setName("Happiness").setProbability(1f)))
                            .setActionUnits(ActionUnits.newBuilder().addActive("AU12").addUnits(ActionUnit.newBuilder()
                                    .setName("AU12").setProbability(0.9f).setThreshold(0.5f).setActive(true)))))
                    .build());
            out.onCompleted();
        }
    }

    final class Models extends ModelServiceGrpc.ModelServiceImplBase {
        @Override
        public void describeModel(DescribeModelRequest request, StreamObserver<ModelInfo> out) {
            if (!request.getName().equals("pipe")) {
                out.onError(Status.NOT_FOUND.withDescription("pipeline '" + request.getName() + "' is not loaded")
                        .asRuntimeException());
                return;
            }
            out.onNext(info("pipe"));
            out.onCompleted();
        }

        @Override
        public void loadModel(LoadModelRequest request, StreamObserver<ModelInfo> out) {
            received.add(request);
            if (request.getName().equals("pipe")) {
                out.onError(Status.ALREADY_EXISTS.withDescription("pipe is loaded").asRuntimeException());
                return;
            }
            out.onNext(info(request.getName()));
            out.onCompleted();
        }

        @Override
        public void unloadModel(UnloadModelRequest request, StreamObserver<UnloadModelResponse> out) {
            received.add(request);
            if (!request.getName().equals("pipe")) {
                out.onError(Status.NOT_FOUND.withDescription("not loaded").asRuntimeException());
                return;
            }
            out.onNext(UnloadModelResponse.getDefaultInstance());
            out.onCompleted();
        }

        private static ModelInfo info(String name) {
            return ModelInfo.newBuilder().setName(name).setNumClass(7).setBackend("cpu")
                    .addTasks(dev.affect.proto.v1.Task.TASK_VA).addHeads("va: fc").setDemo(true).build();
        }
    }
}
