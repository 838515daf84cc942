package dev.affect.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.FramePrediction;
import dev.affect.proto.v1.ListModelsRequest;
import dev.affect.proto.v1.ListModelsResponse;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK against a stand-in server (in process): request building, result mapping, errors, deadlines. */
class AffectClientTest {
    final List<PredictRequest> received = new CopyOnWriteArrayList<>();
    InProcessAffect served;
    AffectClient client;

    @BeforeEach
    void start() throws IOException {
        served = InProcessAffect.start(new FakeAffect(), new FakeModels());
        client = served.client;
    }

    @AfterEach
    void stop() {
        served.close();
    }

    @Test
    void sendsOneFramePerImageAndMapsResults() {
        List<FrameResult> results = client.predict(List.of(new byte[] {1, 2}, new byte[] {3}),
                PredictOptions.defaults().withModel("m").withEmbedding(true).withTimeout(Duration.ofSeconds(2)));
        PredictRequest sent = received.getFirst();
        assertEquals("m", sent.getModel());
        assertTrue(sent.getIncludeEmbedding());
        assertEquals(2, sent.getFramesCount());
        assertArrayEquals(new byte[] {3}, sent.getFrames(1).getImage().toByteArray());
        assertEquals(2, results.size());
        assertEquals("Happy", results.get(1).expression());
        assertEquals(1, results.get(1).expressionIndex());
        assertArrayEquals(new float[] {0.25f, 0.75f}, results.get(1).probabilities());
        assertArrayEquals(new float[] {1f, 2f}, results.get(1).logits());
        assertEquals(0, results.get(1).embedding().length);
    }

    @Test
    void serverRefusalsBecomeClientExceptionsWithTheirCode() {
        AffectClientException e = assertThrows(AffectClientException.class, () -> client.predict(List.of()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertEquals("INVALID_ARGUMENT: a request needs at least one frame", e.getMessage());
        assertFalse(e.isServerError());
        assertFalse(e.isUnreachable());
    }

    @Test
    void listsModelsAndMarksTheDefault() {
        List<ModelDescription> models = client.listModels(Duration.ofSeconds(1));
        assertEquals(2, models.size());
        assertTrue(models.get(0).isDefault());
        assertFalse(models.get(1).isDefault());
        assertEquals(List.of("Neutral", "Happy"), models.get(0).classNames());
    }

    @Test
    void anUnreachableServerIsUnavailable() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        try (AffectClient nobody = AffectClient.connect("127.0.0.1", free)) {
            AffectClientException e = assertThrows(AffectClientException.class, nobody::listModels);
            assertTrue(e.isUnreachable(), e.getMessage());
        }
    }

    @Test
    void timeoutsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> PredictOptions.defaults().withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> client.listModels(Duration.ofSeconds(-1)));
    }

    final class FakeAffect extends AffectServiceGrpc.AffectServiceImplBase {
        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            received.add(request);
            if (request.getFramesCount() == 0) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("a request needs at least one frame").asRuntimeException());
                return;
            }
            PredictResponse.Builder b = PredictResponse.newBuilder().setModel(request.getModel());
            for (int i = 0; i < request.getFramesCount(); i++) {
                b.addPredictions(FramePrediction.newBuilder().addAllLogits(List.of(1f, 2f))
                        .addAllProbabilities(List.of(0.25f, 0.75f)).setExpression("Happy").setExpressionIndex(1));
            }
            out.onNext(b.build());
            out.onCompleted();
        }
    }

    static final class FakeModels extends ModelServiceGrpc.ModelServiceImplBase {
        @Override
        public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
            out.onNext(ListModelsResponse.newBuilder().setDefaultModel("a")
                    .addModels(ModelInfo.newBuilder().setName("a").setNumClass(2).setNumHead(1)
                            .addAllClassNames(List.of("Neutral", "Happy")).setBackend("cpu"))
                    .addModels(ModelInfo.newBuilder().setName("b").setNumClass(2).setNumHead(1)
                            .addAllClassNames(List.of("Neutral", "Happy")).setBackend("cpu"))
                    .build());
            out.onCompleted();
        }
    }
}
