package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * affect detect end to end with the released RetinaFace weights on real photos: the astronaut against
 * the authors' box and crop, a group photo, a photo without a face, drawings, and bad input.
 */
class DetectCommandTest {
    @TempDir
    Path tmp;

    private CliRun detect(Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("detect", input.toString(), "--out", tmp.resolve("out").toString(),
                "--detector", DetectFixtures.releasedWeights().toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private JsonNode detections() throws IOException {
        return new ObjectMapper().readTree(tmp.resolve("out/detections.json").toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void astronautIsOneFaceWithTheAuthorsBoxAndCrop(String backend) throws IOException {
        CliRun r = detect(DetectFixtures.retinaReal("astronaut.png"), "--backend", DetectFixtures.backend(backend));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode faces = detections().get("astronaut.png");
        assertEquals(1, faces.size(), faces.toString());
        JsonNode face = faces.get(0);
        JsonNode expected = new ObjectMapper().readTree(DetectFixtures.retinaReal("astronaut_detections.json").toFile())
                .get("faces").get(0);
        double box = 0;
        double landmarks = 0;
        for (int i = 0; i < 4; i++) {
            box = Math.max(box, Math.abs(face.get("box").get(i).asDouble() - expected.get("box_xyxy").get(i).asDouble()));
        }
        for (int k = 0; k < 5; k++) {
            for (int c = 0; c < 2; c++) {
                landmarks = Math.max(landmarks, Math.abs(face.get("landmarks").get(k).get(c).asDouble()
                        - expected.get("landmarks_xy").get(k).get(c).asDouble()));
            }
        }
        double score = Math.abs(face.get("score").asDouble() - expected.get("score").asDouble());
        assertEquals("astronaut_f0.png", face.get("crop").asText());
        RgbImage crop = png(tmp.resolve("out/astronaut_f0.png"));
        int[] diff = diff(crop, DetectFixtures.retinaReal("astronaut_aligned.npy"));
        System.out.printf("detect %s astronaut: box max diff %.3g px, landmarks %.3g px, score %.2g, crop max abs diff %d on %d values%n",
                backend, box, landmarks, score, diff[0], diff[1]);
        assertTrue(box <= 1.0, "box " + face);
        assertTrue(landmarks <= 1.0, "landmarks " + face);
        assertTrue(score <= 1e-3, "score " + face);
        // README: own matrix + the fixed-point warp, max 2 levels on a few pixels
        assertTrue(diff[0] <= 2, "crop max abs diff " + diff[0] + " on " + diff[1] + " values");
        assertTrue(r.out().contains("found 1 face in 1 photo"), r.out());
    }

    @Test
    void groupPhotoGivesSeveralFacesInDescendingScoreEach112Square() throws IOException {
        CliRun r = detect(DetectFixtures.photo("group.jpeg"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode faces = detections().get("group.jpeg");
        assertTrue(faces.size() >= 4, faces.toString());
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < faces.size(); i++) {
            JsonNode face = faces.get(i);
            double score = face.get("score").asDouble();
            assertTrue(score <= previous && score > 0.6, "descending scores above 0.6: " + faces);
            previous = score;
            JsonNode b = face.get("box");
            assertTrue(b.get(0).asDouble() < b.get(2).asDouble() && b.get(1).asDouble() < b.get(3).asDouble(), face.toString());
            assertTrue(b.get(2).asDouble() > 0 && b.get(0).asDouble() < 1280 && b.get(3).asDouble() > 0
                    && b.get(1).asDouble() < 853, "box overlaps the 1280x853 photo: " + face);
            assertEquals(5, face.get("landmarks").size());
            assertEquals("group_f" + i + ".png", face.get("crop").asText());
            BufferedImage crop = ImageIO.read(tmp.resolve("out").resolve(face.get("crop").asText()).toFile());
            assertEquals(112, crop.getWidth());
            assertEquals(112, crop.getHeight());
        }
        // The authors' crops of the four fully visible faces, in their order.
        for (int i = 0; i < 4; i++) {
            int[] diff = diff(png(tmp.resolve("out/group_f" + i + ".png")), DetectFixtures.photo("aligned/group_f" + i + ".png"));
            System.out.printf("detect group face %d: crop max abs diff %d on %d values, mean %.3f%n", i, diff[0], diff[1],
                    diff[2] / 1000.0);
        }
    }

    @Test
    void photoWithoutAFaceIsAnEmptyListAndNoCrop() throws IOException {
        CliRun r = detect(DetectFixtures.photo("non_face.jpg"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("{\"non_face.jpg\":[]}", detections().toString());
        try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of("detections.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static RgbImage png(Path file) throws IOException {
        return ImageDecoder.imageIo().decode(file);
    }

    /** Max abs difference, values that differ, and 1000 x the mean abs difference. */
    private static int[] diff(RgbImage actual, Path expectedFile) throws IOException {
        byte[] expected;
        if (expectedFile.toString().endsWith(".npy")) {
            Tensor t = NpyReader.read(expectedFile);
            float[] v = t.toFloatArray();
            expected = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                expected[i] = (byte) v[i];
            }
        } else {
            expected = png(expectedFile).pixels();
        }
        byte[] a = actual.pixels();
        assertEquals(expected.length, a.length);
        int max = 0;
        int count = 0;
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xff) - (expected[i] & 0xff));
            max = Math.max(max, d);
            count += d > 0 ? 1 : 0;
            sum += d;
        }
        return new int[] {max, count, (int) (sum * 1000 / a.length)};
    }
}
