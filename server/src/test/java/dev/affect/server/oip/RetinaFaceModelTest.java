package dev.affect.server.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.BackendProvider;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.proto.inference.GRPCInferenceServiceGrpc;
import dev.affect.proto.inference.InferTensorContents;
import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.proto.inference.ModelInferResponse;
import dev.affect.proto.inference.ModelMetadataRequest;
import dev.affect.proto.inference.ModelMetadataResponse;
import dev.affect.proto.inference.ModelReadyRequest;
import dev.affect.proto.inference.ModelStatisticsRequest;
import dev.affect.proto.inference.RepositoryIndexRequest;
import dev.affect.proto.inference.RepositoryModelUnloadRequest;
import dev.affect.proto.inference.ServerReadyRequest;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.face.FaceService;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Open Inference Protocol model {@code retinaface} on a real server (Netty on port 0, through
 * ServerMain as {@code serve --detector} builds it) with the released RetinaFace weights: the
 * astronaut as the authors find it, a photo without a face, bad inputs, and a server without a
 * face service.
 */
class RetinaFaceModelTest {
    private static final long MAX_PIXELS = 2048L * 2048;

    /** A started server with (or without) a face service, a channel and a blocking stub; closes all three. */
    private record Running(Backend backend, ServerMain server, ManagedChannel channel,
                           GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub) implements AutoCloseable {
        static Running start(String backendName, boolean withFaces) throws IOException {
            Path weights = retina("real/mobilenet0.25_Final.pth");
            Backend backend = withFaces ? open(backendName) : null;
            ServerMain server;
            try {
                FaceService faces = withFaces ? FaceService.load(weights, backend, DetectionConfig.defaults(), 1) : null;
                ServerConfig config = ServerConfig.defaults().withMetricsPort(-1).withPort(0).withBindAddress("127.0.0.1")
                        .withPixelLimits(MAX_PIXELS, MAX_PIXELS);
                server = ServerMain.create(config, new PipelineRegistry(), null, TrainingSetup.none(), faces);
            } catch (IOException | RuntimeException e) {
                if (backend != null) {
                    backend.close();
                }
                throw e;
            }
            int port = server.start();
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
                    .maxInboundMessageSize(64 << 20).build();
            return new Running(backend, server, channel, GRPCInferenceServiceGrpc.newBlockingStub(channel));
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close(); // closes the face service
            if (backend != null) {
                backend.close();
            }
        }
    }

    /** ../shared/fixtures/retinaface/{file}, read in place; skips where absent. */
    static Path retina(String file) {
        return shared("fixtures/retinaface/" + file);
    }

    static Path shared(String file) {
        String property = System.getProperty("affect.shared");
        Path dir = property != null ? Path.of(property) : Path.of("../../shared");
        Path p = dir.resolve(file);
        assumeTrue(Files.exists(p), "shared fixture not found at " + p.toAbsolutePath().normalize()
                + " (set -Daffect.shared=<dir holding fixtures/>)");
        return p;
    }

    static Backend open(String name) {
        if (name.equals("auto")) {
            return Backends.open(name, new BackendOptions(0));
        }
        BackendProvider p = Backends.provider(name);
        assumeTrue(p.unavailableReason().isEmpty(), () -> name + " backend unavailable here: " + p.unavailableReason().orElse(""));
        return Backends.open(name, new BackendOptions(0));
    }

    static RgbImage image(Path file) throws IOException {
        return ImageDecoder.imageIo().decode(file);
    }

    // ---- requests and responses

    static ModelInferRequest.Builder request(String datatype, ByteString raw, long... shape) {
        ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder().setName("image")
                .setDatatype(datatype);
        for (long d : shape) {
            in.addShape(d);
        }
        return ModelInferRequest.newBuilder().setModelName("retinaface").addInputs(in).addRawInputContents(raw);
    }

    static ModelInferRequest uint8(RgbImage image) {
        return request("UINT8", ByteString.copyFrom(image.pixels()), image.height(), image.width(), 3).build();
    }

    static ModelInferRequest fp32(RgbImage image) {
        ByteBuffer b = ByteBuffer.allocate(image.pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (byte p : image.pixels()) {
            b.putFloat(p & 0xff);
        }
        return request("FP32", ByteString.copyFrom(b.array()), image.height(), image.width(), 3).build();
    }

    static ModelInferResponse.InferOutputTensor output(ModelInferResponse r, String name) {
        return r.getOutputsList().stream().filter(o -> o.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no output " + name + " in " + r.getOutputsList()));
    }

    static ByteString raw(ModelInferResponse r, String name) {
        return r.getRawOutputContents(r.getOutputsList().indexOf(output(r, name)));
    }

    static float[] floats(ModelInferResponse r, String name) {
        ByteString b = raw(r, name);
        float[] v = new float[b.size() / 4];
        b.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    static List<Long> shape(ModelInferResponse r, String name) {
        return output(r, name).getShapeList();
    }

    static void assertInvalid(Running s, ModelInferRequest request, String... words) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> s.stub().modelInfer(request));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        String text = e.getStatus().getDescription();
        for (String w : words) {
            assertTrue(text.contains(w), "'" + w + "' in: " + text);
        }
    }

    // ---- the released weights

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void findsTheAstronautAsTheAuthorsDo(String backendName) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(Files.readString(retina("real/astronaut_detections.json")))
                .get("faces").get(0);
        RgbImage astronaut = image(retina("real/astronaut.png"));
        try (Running s = Running.start(backendName, true)) {
            ModelInferResponse r = s.stub().modelInfer(uint8(astronaut));
            assertEquals("retinaface", r.getModelName());
            assertEquals("1", r.getModelVersion());
            assertEquals(List.of(1L, 4L), shape(r, "boxes"));
            assertEquals(List.of(1L), shape(r, "scores"));
            assertEquals(List.of(1L, 5L, 2L), shape(r, "landmarks"));
            assertEquals(List.of(1L, 112L, 112L, 3L), shape(r, "crops"));
            assertEquals("UINT8", output(r, "crops").getDatatype());
            assertEquals("FP32", output(r, "boxes").getDatatype());

            float score = floats(r, "scores")[0];
            double scoreDiff = Math.abs(score - expected.get("score").asDouble());
            float[] box = floats(r, "boxes");
            double boxDiff = 0;
            for (int i = 0; i < 4; i++) {
                boxDiff = Math.max(boxDiff, Math.abs(box[i] - expected.get("box_xyxy").get(i).asDouble()));
            }
            float[] lm = floats(r, "landmarks");
            double lmDiff = 0;
            for (int k = 0; k < 5; k++) {
                for (int c = 0; c < 2; c++) {
                    lmDiff = Math.max(lmDiff, Math.abs(lm[2 * k + c] - expected.get("landmarks_xy").get(k).get(c).asDouble()));
                }
            }
            // the authors' crop, from their (float64) landmarks; ours come from our own float32 forward
            float[] authors = NpyReader.read(retina("real/astronaut_aligned.npy")).toFloatArray();
            byte[] crop = raw(r, "crops").toByteArray();
            assertEquals(authors.length, crop.length);
            int cropMax = 0;
            long cropSum = 0;
            for (int i = 0; i < crop.length; i++) {
                int d = Math.abs((crop[i] & 0xff) - (int) authors[i]);
                cropMax = Math.max(cropMax, d);
                cropSum += d;
            }
            double cropMean = (double) cropSum / crop.length;
            System.out.printf("oip retinaface %s astronaut: score diff %.3e, box max diff %.3e px, landmarks max diff %.3e px,"
                    + " crop max abs diff %d, mean %.4f%n", backendName, scoreDiff, boxDiff, lmDiff, cropMax, cropMean);
            assertTrue(scoreDiff <= 1e-3, "score " + score);
            assertTrue(boxDiff <= 1.0, "box diff " + boxDiff);
            assertTrue(lmDiff <= 1.0, "landmarks diff " + lmDiff);
            // the fixture README allows 5 levels (a float warp); ours is OpenCV's fixed-point warp, from our own landmarks
            assertTrue(cropMax <= 5 && cropMean < 0.05, "crop max " + cropMax + ", mean " + cropMean);

            // FP32 0..255 is read as the same pixels: the same answer, bit for bit
            ModelInferResponse f = s.stub().modelInfer(fp32(astronaut));
            for (String name : List.of("boxes", "scores", "landmarks", "crops")) {
                assertEquals(raw(r, name), raw(f, name), name);
            }
        }
    }

    @Test
    void aPhotoWithoutAFaceGivesEmptyTensors() throws Exception {
        RgbImage photo = image(shared("fixtures/real-photos/non_face.jpg"));
        try (Running s = Running.start("auto", true)) {
            ModelInferResponse r = s.stub().modelInfer(uint8(photo));
            assertEquals(List.of(0L, 4L), shape(r, "boxes"));
            assertEquals(List.of(0L), shape(r, "scores"));
            assertEquals(List.of(0L, 5L, 2L), shape(r, "landmarks"));
            assertEquals(List.of(0L, 112L, 112L, 3L), shape(r, "crops"));
            for (String name : List.of("boxes", "scores", "landmarks", "crops")) {
                assertTrue(raw(r, name).isEmpty(), name);
            }
        }
    }

    @Test
    void metadataReadinessIndexAndStatisticsListTheModel() throws Exception {
        try (Running s = Running.start("auto", true)) {
            ModelMetadataResponse m = s.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("retinaface").build());
            assertEquals("retinaface", m.getName());
            assertEquals(List.of("1"), m.getVersionsList());
            assertEquals("affect_retinaface", m.getPlatform());
            assertEquals(1, m.getInputsCount());
            assertEquals("image", m.getInputs(0).getName());
            assertEquals("UINT8", m.getInputs(0).getDatatype());
            assertEquals(List.of(-1L, -1L, 3L), m.getInputs(0).getShapeList());
            assertEquals(List.of("boxes", "scores", "landmarks", "crops"),
                    m.getOutputsList().stream().map(ModelMetadataResponse.TensorMetadata::getName).toList());
            assertEquals(List.of("FP32", "FP32", "FP32", "UINT8"),
                    m.getOutputsList().stream().map(ModelMetadataResponse.TensorMetadata::getDatatype).toList());
            assertEquals(List.of(-1L, 112L, 112L, 3L), m.getOutputs(3).getShapeList());
            assertEquals(List.of(-1L, 5L, 2L), m.getOutputs(2).getShapeList());

            assertTrue(s.stub().modelReady(ModelReadyRequest.newBuilder().setName("retinaface").build()).getReady());
            assertTrue(s.stub().modelReady(ModelReadyRequest.newBuilder().setName("retinaface").setVersion("1").build()).getReady());
            assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> s.stub().modelReady(
                    ModelReadyRequest.newBuilder().setName("retinaface").setVersion("2").build())).getStatus().getCode());
            assertTrue(s.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady(), "the face model is ready");
            var index = s.stub().repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
            assertEquals(1, index.getModelsCount());
            assertEquals("retinaface", index.getModels(0).getName());
            assertEquals("READY", index.getModels(0).getState());
            assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> s.stub()
                    .repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("retinaface").build()))
                    .getStatus().getCode());

            // only the outputs asked for, in the order asked
            RgbImage astronaut = image(retina("real/astronaut.png"));
            ModelInferRequest onlyScores = uint8(astronaut).toBuilder()
                    .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("scores"))
                    .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("boxes")).build();
            ModelInferResponse r = s.stub().modelInfer(onlyScores);
            assertEquals(List.of("scores", "boxes"), r.getOutputsList().stream().map(o -> o.getName()).toList());
            assertEquals(2, r.getRawOutputContentsCount());
            assertInvalid(s, uint8(astronaut).toBuilder()
                    .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logits")).build(), "logits");

            var stats = s.stub().modelStatistics(ModelStatisticsRequest.getDefaultInstance());
            assertEquals(1, stats.getModelStatsCount());
            assertEquals("retinaface", stats.getModelStats(0).getName());
            assertEquals(1, stats.getModelStats(0).getInferenceStats().getSuccess().getCount());
            assertEquals(1, stats.getModelStats(0).getInferenceStats().getFail().getCount());
        }
    }

    @Test
    void badInputsAreInvalidArgumentNamingTheImage() throws Exception {
        RgbImage astronaut = image(retina("real/astronaut.png"));
        byte[] px = astronaut.pixels();
        ByteString bytes = ByteString.copyFrom(px);
        try (Running s = Running.start("auto", true)) {
            // datatype
            assertInvalid(s, request("INT32", ByteString.copyFrom(new byte[px.length * 4]), 512, 512, 3).build(),
                    "'image'", "INT32", "UINT8");
            // shapes: four channels, a batch dimension, a missing dimension, an empty side
            assertInvalid(s, request("UINT8", ByteString.copyFrom(new byte[512 * 384 * 4]), 512, 384, 4).build(),
                    "'image'", "[512,384,4]", "[-1,-1,3]");
            assertInvalid(s, request("UINT8", bytes, 1, 512, 512, 3).build(), "'image'", "[1,512,512,3]");
            assertInvalid(s, request("UINT8", bytes, 512, 1536).build(), "'image'");
            assertInvalid(s, request("UINT8", ByteString.EMPTY, 0, 512, 3).build(), "'image'");
            // size: the bytes do not match the shape (UINT8 and FP32)
            assertInvalid(s, request("UINT8", bytes, 512, 500, 3).build(), "'image'", "byte size", "768000", "786432");
            assertInvalid(s, request("FP32", bytes, 512, 512, 3).build(), "'image'", "byte size", "3145728");
            // FP32 outside 0..255, and non-finite
            for (float bad : new float[] {-1f, 256f, Float.NaN, Float.POSITIVE_INFINITY}) {
                ByteBuffer b = ByteBuffer.allocate(2 * 2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 12; i++) {
                    b.putFloat(i == 7 ? bad : 10f);
                }
                assertInvalid(s, request("FP32", ByteString.copyFrom(b.array()), 2, 2, 3).build(), "'image'", "element 7", "0..255");
            }
            // typed contents: UINT8 in uint_contents, range-checked, counted
            InferTensorContents.Builder typed = InferTensorContents.newBuilder();
            for (int i = 0; i < 12; i++) {
                typed.addUintContents(i == 3 ? 300 : 1);
            }
            ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder().setName("image")
                    .setDatatype("UINT8").addShape(2).addShape(2).addShape(3).setContents(typed);
            assertInvalid(s, ModelInferRequest.newBuilder().setModelName("retinaface").addInputs(in).build(),
                    "'image'", "300", "element 3");
            in.setContents(InferTensorContents.newBuilder().addUintContents(1));
            assertInvalid(s, ModelInferRequest.newBuilder().setModelName("retinaface").addInputs(in).build(),
                    "'image'", "Expected 12", "got 1");
            // another input name, two inputs
            ModelInferRequest renamed = request("UINT8", bytes, 512, 512, 3).build().toBuilder()
                    .setInputs(0, ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("UINT8")
                            .addShape(512).addShape(512).addShape(3)).build();
            assertInvalid(s, renamed, "'input'", "image");
            assertInvalid(s, uint8(astronaut).toBuilder().addInputs(uint8(astronaut).getInputs(0))
                    .addRawInputContents(bytes).build(), "expected 1 inputs");
            // over the server's pixel limit: refused from the shape, no pixels sent or allocated
            assertInvalid(s, request("UINT8", ByteString.EMPTY, 100_000, 100_000, 3).build(), "'image'", "limit",
                    String.valueOf(MAX_PIXELS));
            assertInvalid(s, request("FP32", ByteString.EMPTY, 2049, 2048, 3).build(), "'image'", "limit");

            // typed UINT8 contents in range work, and the server is still fine after all that
            InferTensorContents.Builder ok = InferTensorContents.newBuilder();
            for (byte p : px) {
                ok.addUintContents(p & 0xff);
            }
            ModelInferResponse viaTyped = s.stub().modelInfer(ModelInferRequest.newBuilder().setModelName("retinaface")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("image").setDatatype("UINT8")
                            .addShape(512).addShape(512).addShape(3).setContents(ok)).build());
            ModelInferResponse viaRaw = s.stub().modelInfer(uint8(astronaut));
            assertEquals(List.of(1L), shape(viaTyped, "scores"));
            assertArrayEquals(floats(viaRaw, "boxes"), floats(viaTyped, "boxes"));
        }
    }

    @Test
    void withoutAFaceServiceTheModelDoesNotExist() throws Exception {
        RgbImage tiny = new RgbImage(4, 4, new byte[48]);
        try (Running s = Running.start("auto", false)) {
            Consumer<Runnable> notFound = call -> {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
                assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
                assertTrue(e.getStatus().getDescription().contains("'retinaface'"), e.getStatus().getDescription());
            };
            notFound.accept(() -> s.stub().modelInfer(uint8(tiny)));
            notFound.accept(() -> s.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("retinaface").build()));
            notFound.accept(() -> s.stub().modelReady(ModelReadyRequest.newBuilder().setName("retinaface").build()));
            assertEquals(0, s.stub().repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsCount());
            assertFalse(s.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady(), "no model at all");
        }
    }
}
