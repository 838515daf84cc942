package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.SessionEnd;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.Task;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The data scripts/ghz's configs reference. {@code -Daffect.ghz.write=true} regenerates it (a synthetic
 * 112x112 face-sized PNG and the messages built from it); every run checks that what is committed
 * parses as the messages the configs name, and that each file stays under 1 MB.
 */
class GhzDataTest {
    static final Path GHZ = Path.of("..", "scripts", "ghz");
    static final int STREAM_FRAMES = 10;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void committedDataParsesAndStaysSmall() throws IOException {
        if (Boolean.getBoolean("affect.ghz.write")) {
            write();
        }
        Path data = GHZ.resolve("data");
        byte[] png = Files.readAllBytes(data.resolve("face.png"));
        assertEquals(112, ImageIO.read(data.resolve("face.png").toFile()).getWidth());

        PredictRequest predict = PredictRequest.parseFrom(Files.readAllBytes(data.resolve("predict.bin")));
        assertEquals(ByteString.copyFrom(png), predict.getFrames(0).getImage());

        List<StreamRequest> stream = new ArrayList<>();
        try (InputStream in = Files.newInputStream(data.resolve("stream.bin"))) {
            StreamRequest r;
            while ((r = StreamRequest.parseDelimitedFrom(in)) != null) {
                stream.add(r);
            }
        }
        assertEquals(STREAM_FRAMES + 2, stream.size());
        assertTrue(stream.getFirst().hasOpen());
        assertTrue(stream.getLast().hasEnd());

        for (String config : List.of("predict.json", "stream.json", "infer.json")) {
            JsonNode c = JSON.readTree(GHZ.resolve(config).toFile());
            assertTrue(Files.isRegularFile(GHZ.resolve(c.get("proto").asText())), config + " proto");
            if (c.has("binary-file")) {
                assertTrue(Files.isRegularFile(GHZ.resolve(c.get("binary-file").asText())), config + " binary-file");
            }
        }
        JsonNode stc = JSON.readTree(GHZ.resolve("stream.json").toFile());
        assertEquals(STREAM_FRAMES + 2, stc.get("stream-call-count").asInt());
        JsonNode infer = JSON.readTree(GHZ.resolve("infer.json").toFile()).get("data");
        assertEquals(List.of(1, 3, 112, 112), JSON.convertValue(infer.get("inputs").get(0).get("shape"), List.class));
        byte[] raw = Base64.getDecoder().decode(infer.get("raw_input_contents").get(0).asText());
        assertEquals(3 * 112 * 112 * 4, raw.length);

        try (var files = Files.walk(GHZ)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertTrue(Files.size(f) < 1_000_000, f + " is " + Files.size(f) + " bytes");
            }
        }
    }

    private static void write() throws IOException {
        Path data = Files.createDirectories(GHZ.resolve("data"));
        BufferedImage img = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                double dx = (x - 56) / 40.0;
                double dy = (y - 60) / 52.0;
                boolean face = dx * dx + dy * dy < 1;
                int r = face ? 224 - y / 4 : 40 + x / 4;
                int g = face ? 172 - y / 5 : 60;
                int b = face ? 140 - y / 6 : 90 + y / 4;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Path pngFile = data.resolve("face.png");
        ImageIO.write(img, "png", pngFile.toFile());
        ByteString png = ByteString.copyFrom(Files.readAllBytes(pngFile));

        Files.write(data.resolve("predict.bin"), PredictRequest.newBuilder()
                .addFrames(Frame.newBuilder().setImage(png)).build().toByteArray());

        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        StreamRequest.newBuilder().setOpen(SessionOpen.newBuilder().addTasks(Task.TASK_VA).addTasks(Task.TASK_EXPR)
                .addTasks(Task.TASK_AU)).build().writeDelimitedTo(stream);
        for (int i = 0; i < STREAM_FRAMES; i++) {
            StreamRequest.newBuilder().setFrame(StreamFrame.newBuilder().setSequence(i).setTimestampUs(i * 33_333L)
                    .setImage(png)).build().writeDelimitedTo(stream);
        }
        StreamRequest.newBuilder().setEnd(SessionEnd.getDefaultInstance()).build().writeDelimitedTo(stream);
        Files.write(data.resolve("stream.bin"), stream.toByteArray());

        float[] chw = FacePreprocessor.load(pngFile).toFloatArray();
        ByteBuffer raw = ByteBuffer.allocate(chw.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(chw);
        ModelInferRequest.newBuilder().build(); // the message infer.json's data follows
        ObjectNode infer = JSON.createObjectNode();
        infer.put("proto", "../../proto/src/main/proto/inference/grpc_service.proto");
        infer.put("call", "inference.GRPCInferenceService.ModelInfer");
        infer.put("host", "localhost:50051");
        infer.put("insecure", true);
        infer.put("total", 200);
        infer.put("concurrency", 8);
        ObjectNode d = infer.putObject("data");
        d.put("model_name", "backbone");
        ObjectNode input = d.putArray("inputs").addObject();
        input.put("name", "input");
        input.put("datatype", "FP32");
        input.putArray("shape").add(1).add(3).add(112).add(112);
        d.putArray("raw_input_contents").add(Base64.getEncoder().encodeToString(raw.array()));
        JSON.writeValue(GHZ.resolve("infer.json").toFile(), infer);
    }
}
