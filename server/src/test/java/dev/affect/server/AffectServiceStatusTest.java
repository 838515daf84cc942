package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.Tensor;
import dev.affect.server.app.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error path of Predict and its status code, in process (same services as over Netty). */
class AffectServiceStatusTest {
    static InProcessServer served;
    static ManagedChannel channel;
    static AffectServiceGrpc.AffectServiceBlockingStub stub;
    static ByteString faceA;

    @BeforeAll
    static void startServer() throws IOException {
        faceA = ByteString.copyFrom(Fixtures.bytes("face_a.png"));
        served = InProcessServer.start(ServerConfig.defaults().withMetricsPort(-1), Fixtures.registry());
        channel = served.channel;
        stub = AffectServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void oneImageSucceeds() {
        var response = call(PredictRequest.newBuilder().addFrames(image(faceA)).build());
        assertEquals(1, response.getPredictionsCount());
        assertEquals("ddamfn", response.getModel());
    }

    @Test
    void emptyRequestIsInvalid() {
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, PredictRequest.getDefaultInstance());
        assertEquals("frames: a request needs at least one frame", e.getStatus().getDescription());
    }

    @Test
    void tooManyFramesIsInvalid() {
        PredictRequest.Builder b = PredictRequest.newBuilder();
        for (int i = 0; i < 65; i++) {
            b.addFrames(image(faceA));
        }
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, b.build());
        assertTrue(e.getStatus().getDescription().startsWith("frames: at most 64 frames"), e.getMessage());
    }

    @Test
    void unknownModelIsNotFound() {
        StatusRuntimeException e = fails(Status.Code.NOT_FOUND,
                PredictRequest.newBuilder().setModel("resnet").addFrames(image(faceA)).build());
        assertTrue(e.getStatus().getDescription().contains("resnet"), e.getMessage());
    }

    @Test
    void corruptImageIsInvalidAndNamesTheFrame() {
        byte[] truncatedJpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3};
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, PredictRequest.newBuilder()
                .addFrames(image(faceA)).addFrames(image(ByteString.copyFrom(truncatedJpeg))).build());
        assertTrue(e.getStatus().getDescription().startsWith("frames[1].image: "), e.getMessage());
        StatusRuntimeException notAnImage = fails(Status.Code.INVALID_ARGUMENT, PredictRequest.newBuilder()
                .addFrames(image(ByteString.copyFromUtf8("hello"))).build());
        assertTrue(notAnImage.getStatus().getDescription().startsWith("frames[0].image: "), notAnImage.getMessage());
    }

    @Test
    void framesWithoutDataOrWithBadTensorsAreInvalidAndNameTheField() {
        Map<String, Frame> bad = new LinkedHashMap<>();
        bad.put("frames[1]: ", Frame.getDefaultInstance());
        bad.put("frames[1].image: ", image(ByteString.EMPTY));
        bad.put("frames[1].normalized.shape: ", Frame.newBuilder().setNormalized(Tensor.newBuilder()
                .addAllShape(List.of(1L, 3L, 112L, 112L)).setRawContents(ByteString.copyFrom(new byte[4 * 3 * 112 * 112]))).build());
        bad.put("frames[1].normalized.raw_contents: ", Frame.newBuilder().setNormalized(Tensor.newBuilder()
                .addAllShape(List.of(3L, 112L, 112L)).setRawContents(ByteString.copyFrom(new byte[100]))).build());
        bad.put("frames[1].normalized.fp32_contents: ", Frame.newBuilder().setNormalized(Tensor.newBuilder()
                .addAllShape(List.of(3L, 112L, 112L)).addFp32Contents(1f)).build());
        bad.put("frames[1].normalized: ", Frame.newBuilder().setNormalized(Tensor.newBuilder()
                .addAllShape(List.of(3L, 112L, 112L))).build());
        bad.forEach((field, frame) -> {
            StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT,
                    PredictRequest.newBuilder().addFrames(image(faceA)).addFrames(frame).build());
            assertTrue(e.getStatus().getDescription().startsWith(field), field + " expected, got " + e.getMessage());
            assertFalse(e.getStatus().getDescription().contains("\n"), "one line");
        });
    }

    @Test
    void reflectionListsTheServices() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        List<String> services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        assertTrue(services.containsAll(List.of("affect.v1.AffectService", "affect.v1.ModelService", "grpc.health.v1.Health")),
                services.toString());
    }

    private static dev.affect.proto.v1.PredictResponse call(PredictRequest request) {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS).predict(request);
    }

    private static StatusRuntimeException fails(Status.Code code, PredictRequest request) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(request));
        assertEquals(code, e.getStatus().getCode(), e.getMessage());
        assertTrue(e.getStatus().getDescription() != null && !e.getStatus().getDescription().isBlank());
        return e;
    }

    private static Frame image(ByteString bytes) {
        return Frame.newBuilder().setImage(bytes).build();
    }
}
