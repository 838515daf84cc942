package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.client.FrameResult;
import dev.affect.client.ModelDescription;
import dev.affect.client.PredictOptions;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Tensor;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real server on a real TCP port (Netty, port 0) and the real client SDK. */
class NettyEndToEndTest {
    static ServerMain server;
    static int port;
    static AffectClient client;
    static ManagedChannel channel;
    static Tensor expectedLogits;

    @BeforeAll
    static void startServer() throws IOException {
        expectedLogits = NpyReader.read(Fixtures.reference("faces_logits.npy"));
        server = ServerMain.create(ServerConfig.defaults().withMetricsPort(-1).withPort(0), Fixtures.registry());
        port = server.start();
        assertTrue(port > 0, "bound port " + port);
        client = AffectClient.connect("localhost", port);
        channel = Grpc.newChannelBuilderForAddress("localhost", port, InsecureChannelCredentials.create()).build();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void predictsImagesAsPyTorchDoes() throws IOException {
        List<FrameResult> results = client.predict(List.of(Fixtures.bytes("face_a.png"), Fixtures.bytes("face_c.png")));
        assertEquals(2, results.size());
        List<String> classes = client.listModels().getFirst().classNames();
        int[] fixtureRows = {0, 2};
        for (int i = 0; i < 2; i++) {
            FrameResult r = results.get(i);
            Fixtures.assertClose(r.logits(), row(expectedLogits, fixtureRows[i]));
            assertEquals(8, r.probabilities().length);
            double sum = 0;
            for (float p : r.probabilities()) {
                assertTrue(p >= 0 && p <= 1, "probability " + p);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5);
            int top = argmax(r.logits());
            assertEquals(top, r.expressionIndex());
            assertEquals(classes.get(top), r.expression());
            assertEquals(0, r.embedding().length, "no embedding unless asked");
        }
    }

    @Test
    void embeddingOnlyWhenAsked() throws IOException {
        List<FrameResult> results = client.predict(List.of(Fixtures.bytes("face_b.jpg")),
                PredictOptions.defaults().withEmbedding(true).withModel("ddamfn"));
        assertEquals(512, results.getFirst().embedding().length);
    }

    @Test
    void normalizedTensorsAsFloatsOrRawBytesMatchTheImages() throws IOException {
        float[] a = NpyReader.read(Fixtures.reference("face_a.npy")).toFloatArray();
        float[] c = NpyReader.read(Fixtures.reference("face_c.npy")).toFloatArray();
        dev.affect.proto.v1.Tensor.Builder typed = dev.affect.proto.v1.Tensor.newBuilder().addAllShape(List.of(3L, 112L, 112L));
        for (float v : a) {
            typed.addFp32Contents(v);
        }
        ByteBuffer raw = ByteBuffer.allocate(c.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(c);
        dev.affect.proto.v1.Tensor rawTensor = dev.affect.proto.v1.Tensor.newBuilder().addAllShape(List.of(3L, 112L, 112L))
                .setRawContents(ByteString.copyFrom(raw.array())).build();
        PredictResponse response = AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .predict(PredictRequest.newBuilder()
                        .addFrames(Frame.newBuilder().setNormalized(typed))
                        .addFrames(Frame.newBuilder().setNormalized(rawTensor))
                        .build());
        assertEquals("ddamfn", response.getModel());
        Fixtures.assertClose(toArray(response.getPredictions(0).getLogitsList()), row(expectedLogits, 0));
        Fixtures.assertClose(toArray(response.getPredictions(1).getLogitsList()), row(expectedLogits, 2));
    }

    @Test
    void listModelsShowsTheEightClassModel() {
        List<ModelDescription> models = client.listModels();
        assertEquals(1, models.size());
        ModelDescription m = models.getFirst();
        assertEquals("ddamfn", m.name());
        assertEquals(8, m.numClass());
        assertEquals(2, m.numHead());
        assertEquals(List.of("Neutral", "Happy", "Sad", "Surprise", "Fear", "Disgust", "Angry", "Contempt"), m.classNames());
        assertTrue(m.isDefault());
        assertTrue(!m.backend().isEmpty());
    }

    @Test
    void healthIsServing() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        for (String service : List.of("", "affect.v1.AffectService", "affect.v1.ModelService")) {
            assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                    health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
        }
    }

    @Test
    void errorsReachTheClientWithTheirStatus() throws IOException {
        AffectClientException notFound = assertThrows(AffectClientException.class,
                () -> client.predict(List.of(Fixtures.bytes("face_a.png")), PredictOptions.defaults().withModel("nope")));
        assertEquals(Status.Code.NOT_FOUND, notFound.code());
        AffectClientException corrupt = assertThrows(AffectClientException.class,
                () -> client.predict(List.of(Fixtures.bytes("face_a.png"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2})));
        assertEquals(Status.Code.INVALID_ARGUMENT, corrupt.code());
        assertTrue(corrupt.getMessage().contains("frames[1].image: "), corrupt.getMessage());
    }

    static float[] row(Tensor t, int r) {
        return t.slice(r, r + 1).toFloatArray();
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
