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
        // The authors' crops of the four fully visible faces, in their order: the default --size-bucket 1 runs
        // the photo's own size, so the fixed-point warp tolerance holds (padding to 32 moved one crop by 16 levels).
        for (int i = 0; i < 4; i++) {
            int[] diff = diff(png(tmp.resolve("out/group_f" + i + ".png")), DetectFixtures.photo("aligned/group_f" + i + ".png"));
            System.out.printf("detect group face %d: crop max abs diff %d on %d values, mean %.3f%n", i, diff[0], diff[1],
                    diff[2] / 1000.0);
            assertTrue(diff[0] <= 2, "group face " + i + ": max abs diff " + diff[0]);
        }
    }

    @Test
    void drawWritesThePhotoAtItsSizeWithBoxesOnIt() throws IOException {
        Path photo = DetectFixtures.photo("group.jpeg");
        CliRun r = detect(photo, "--draw");
        assertEquals(0, r.exitCode(), r.err());
        RgbImage drawn = png(tmp.resolve("out/group_detections.png"));
        RgbImage original = ImageDecoder.best().decode(photo);
        assertEquals(original.width(), drawn.width());
        assertEquals(original.height(), drawn.height());
        JsonNode best = detections().get("group.jpeg").get(0);
        int x = (int) ((best.get("box").get(0).asDouble() + best.get("box").get(2).asDouble()) / 2);
        int y = (int) Math.round(best.get("box").get(1).asDouble());
        // the middle of the best box's top edge is the box colour (yellow); the corner far from any face is the photo
        assertTrue(drawn.get(x, y, 0) > 200 && drawn.get(x, y, 1) > 180 && drawn.get(x, y, 2) < 60,
                "box colour at " + x + "," + y);
        for (int c = 0; c < 3; c++) {
            assertEquals(original.get(0, original.height() - 1, c), drawn.get(0, drawn.height() - 1, c));
        }
        long changed = 0;
        for (int i = 0; i < drawn.pixels().length; i++) {
            changed += drawn.pixels()[i] != original.pixels()[i] ? 1 : 0;
        }
        assertTrue(changed > 1000 && changed < drawn.pixels().length / 10, changed + " values changed");
    }

    @Test
    void folderIsReadInNameOrderSkippingOtherFiles() throws IOException {
        Path photos = Files.createDirectory(tmp.resolve("photos"));
        Files.copy(DetectFixtures.photo("non_face.jpg"), photos.resolve("b.jpg"));
        Files.copy(DetectFixtures.retinaReal("astronaut.png"), photos.resolve("a.png"));
        Files.copy(DetectFixtures.retinaReal("astronaut.png"), photos.resolve("b.png")); // same stem as b.jpg
        Files.writeString(photos.resolve("notes.txt"), "not a photo");
        CliRun r = detect(photos);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = detections();
        assertEquals(List.of("a.png", "b.jpg", "b.png"), fieldNames(json));
        assertEquals("a_f0.png", json.get("a.png").get(0).get("crop").asText());
        assertEquals(0, json.get("b.jpg").size());
        assertEquals("b.png_f0.png", json.get("b.png").get(0).get("crop").asText());
        assertEquals(Files.readAllBytes(tmp.resolve("out/a_f0.png")).length, Files.readAllBytes(tmp.resolve("out/b.png_f0.png")).length);
        assertTrue(r.out().contains("found 2 faces in 3 photos"), r.out());
    }

    @Test
    void tinyAndGreyPhotosAreProcessed() throws IOException {
        Path tiny = tmp.resolve("tiny.png");
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0xc86432);
        ImageIO.write(one, "png", tiny.toFile());
        CliRun r = detect(tiny);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("{\"tiny.png\":[]}", detections().toString());

        BufferedImage colour = ImageIO.read(DetectFixtures.retinaReal("astronaut.png").toFile());
        BufferedImage grey = new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(colour, 0, 0, null);
        Path greyPng = tmp.resolve("grey.png");
        ImageIO.write(grey, "png", greyPng.toFile());
        Path greyJpg = tmp.resolve("grey.jpg");
        ImageIO.write(grey, "jpeg", greyJpg.toFile());
        JsonNode expected = new ObjectMapper().readTree(DetectFixtures.retinaReal("astronaut_detections.json").toFile())
                .get("faces").get(0).get("box_xyxy");
        for (Path p : List.of(greyPng, greyJpg)) {
            r = detect(p);
            assertEquals(0, r.exitCode(), r.err());
            JsonNode faces = detections().get(p.getFileName().toString());
            assertEquals(1, faces.size(), faces.toString());
            // grey changes what the network sees: the same face, not the same pixels (measured IoU 0.94)
            double iou = iou(expected, faces.get(0).get("box"));
            assertTrue(iou > 0.85, "grey astronaut IoU " + iou + ": " + faces);
            assertEquals(112, png(tmp.resolve("out").resolve(faces.get(0).get("crop").asText())).width());
        }
    }

    @Test
    void cmykJpegFromAPrintWorkflowIsDetectedLikeTheRgbPhoto() throws IOException {
        BufferedImage astronaut = ImageIO.read(DetectFixtures.retinaReal("astronaut.png").toFile());
        Path cmyk = DetectFixtures.cmykJpeg(tmp.resolve("cmyk.jpg"), astronaut);
        CliRun r = detect(cmyk);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode faces = detections().get("cmyk.jpg");
        assertEquals(1, faces.size(), faces.toString());
        JsonNode expected = new ObjectMapper().readTree(DetectFixtures.retinaReal("astronaut_detections.json").toFile())
                .get("faces").get(0).get("box_xyxy");
        // JPEG's loss moves the box a little; wrong CMYK polarity or channels would lose the face
        double iou = iou(expected, faces.get(0).get("box"));
        System.out.printf("CMYK astronaut IoU with the authors' RGB box: %.4f%n", iou);
        assertTrue(iou > 0.9, "CMYK astronaut IoU " + iou + ": " + faces);
        assertEquals(112, png(tmp.resolve("out").resolve(faces.get(0).get("crop").asText())).width());
    }

    @Test
    void badInputExitsTwoWithOneLineNamingTheProblem() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        Path corrupt = Files.write(tmp.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path huge = DetectFixtures.blackPng(tmp.resolve("huge.png"), 10_000, 10_000);
        Path noImages = Files.createDirectory(tmp.resolve("no-images"));
        Files.writeString(noImages.resolve("a.txt"), "text");
        Path weights = DetectFixtures.releasedWeights();
        Path astronaut = DetectFixtures.retinaReal("astronaut.png");
        String out = tmp.resolve("out").toString();
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        // each case: the arguments, and what the line must mention
        String[][][] cases = {
            {{"detect", empty.toString(), "--out", out, "--detector", weights.toString()}, {empty.toString(), "empty"}},
            {{"detect", corrupt.toString(), "--out", out, "--detector", weights.toString()}, {corrupt.toString()}},
            {{"detect", huge.toString(), "--out", out, "--detector", weights.toString()}, {huge.toString(), "10000x10000", "exceeds"}},
            {{"detect", tmp.resolve("missing.jpg").toString(), "--out", out, "--detector", weights.toString()}, {"missing.jpg"}},
            {{"detect", noImages.toString(), "--out", out, "--detector", weights.toString()}, {"no .jpg"}},
            {{"detect", astronaut.toString(), "--out", out}, {"--detector", "Pytorch_Retinaface", "DDAMFN"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", tmp.resolve("none.pth").toString()}, {"--detector", "none.pth"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", astronaut.toString()}, {astronaut.toString()}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", weights.toString(), "--confidence", "1.5"}, {"--confidence"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", weights.toString(), "--nms", "-1"}, {"--nms"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", weights.toString(), "--keep-top-k", "0"}, {"--keep-top-k"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", weights.toString(), "--size-bucket", "0"}, {"--size-bucket"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", weights.toString(), "--max-pixels", "0"}, {"--max-pixels"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", weights.toString(), "--backend", "tpu"}, {"tpu"}},
            {{"detect", astronaut.toString(), "--out", out, "--detector", weights.toString(), "--max-pixels", "1000"}, {"exceeds"}},
            {{"detect", astronaut.toString(), "--out", notAFolder.toString(), "--detector", weights.toString()},
                {"--out", "not a folder"}},
        };
        for (String[][] c : cases) {
            CliRun r = CliRun.of(c[0]);
            String what = String.join(" ", c[0]) + " -> " + r.err();
            System.out.print("detect bad input: " + r.err());
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().strip().lines().count(), what);
            assertTrue(r.err().startsWith("affect detect: "), what);
            for (String mention : c[1]) {
                assertTrue(r.err().contains(mention), "'" + mention + "' expected in: " + what);
            }
        }
        assertFalse(Files.exists(tmp.resolve("out/detections.json")), "no detections.json from a failed run");
    }

    private static double iou(JsonNode a, JsonNode b) {
        double w = Math.min(a.get(2).asDouble(), b.get(2).asDouble()) - Math.max(a.get(0).asDouble(), b.get(0).asDouble());
        double h = Math.min(a.get(3).asDouble(), b.get(3).asDouble()) - Math.max(a.get(1).asDouble(), b.get(1).asDouble());
        double inter = Math.max(0, w) * Math.max(0, h);
        double areaA = (a.get(2).asDouble() - a.get(0).asDouble()) * (a.get(3).asDouble() - a.get(1).asDouble());
        double areaB = (b.get(2).asDouble() - b.get(0).asDouble()) * (b.get(3).asDouble() - b.get(1).asDouble());
        return inter / (areaA + areaB - inter);
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
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
