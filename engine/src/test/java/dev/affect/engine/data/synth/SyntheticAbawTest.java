package dev.affect.engine.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticAbawTest {
    private static final int VIDEOS = 3;
    private static final int FRAMES = 40;
    private static final List<String> TASKS = List.of(SyntheticAbaw.VA_FOLDER, SyntheticAbaw.EXPR_FOLDER,
            SyntheticAbaw.AU_FOLDER);
    private static final List<String> HEADERS = List.of(SyntheticAbaw.VA_HEADER, SyntheticAbaw.EXPR_HEADER,
            SyntheticAbaw.AU_HEADER);

    @TempDir
    Path dir;

    @Test
    void layoutHeadersAndLinesAreExact() throws IOException {
        Path out = dir.resolve("abaw");
        SyntheticAbaw.Summary s = SyntheticAbaw.write(out, VIDEOS, FRAMES, 7);
        assertEquals(List.of("1-30-640x480_left", "1-30-640x480_right"), s.trainVideos());
        assertEquals(List.of("3-30-1280x720"), s.validationVideos());
        assertEquals(VIDEOS * FRAMES, s.frames());
        assertEquals(s.frames(), s.images() + s.missingImages());
        assertTrue(s.missingImages() > 0, s.line());
        assertTrue(s.invalidLabels() > 0, s.line());
        assertTrue(s.missingImages() < s.frames() * 0.15 && s.invalidLabels() < 3 * s.frames() * 0.15, s.line());

        assertEquals(List.of(SyntheticAbaw.AU_FOLDER, SyntheticAbaw.EXPR_FOLDER, SyntheticAbaw.VA_FOLDER,
                SyntheticAbaw.IMAGES_FOLDER), list(out));
        int invalid = 0;
        for (int t = 0; t < 3; t++) {
            Path task = out.resolve(TASKS.get(t));
            assertEquals(List.of(SyntheticAbaw.TRAIN_SET, SyntheticAbaw.VALIDATION_SET), list(task));
            assertEquals(List.of("1-30-640x480_left.txt", "1-30-640x480_right.txt"), list(task.resolve(SyntheticAbaw.TRAIN_SET)));
            assertEquals(List.of("3-30-1280x720.txt"), list(task.resolve(SyntheticAbaw.VALIDATION_SET)));
            for (String video : allVideos(s)) {
                List<String> lines = Files.readAllLines(annotation(out, t, s, video));
                assertEquals(HEADERS.get(t), lines.getFirst());
                assertEquals(FRAMES + 1, lines.size());
                for (String line : lines.subList(1, lines.size())) {
                    invalid += parse(t, line) == null ? 1 : 0;
                }
            }
        }
        assertEquals(s.invalidLabels(), invalid);

        int images = 0;
        for (String video : allVideos(s)) {
            Path frames = out.resolve(SyntheticAbaw.IMAGES_FOLDER).resolve(video);
            for (String f : list(frames)) {
                assertTrue(f.matches("\\d{5}\\.jpg"), f);
                int k = Integer.parseInt(f.substring(0, 5));
                assertTrue(k >= 1 && k <= FRAMES, f);
                byte[] bytes = Files.readAllBytes(frames.resolve(f));
                assertEquals(0xFF, bytes[0] & 0xFF);
                assertEquals(0xD8, bytes[1] & 0xFF);
                BufferedImage img = ImageIO.read(frames.resolve(f).toFile());
                assertNotNull(img, f);
                assertEquals(112, img.getWidth());
                assertEquals(112, img.getHeight());
                images++;
            }
        }
        assertEquals(s.images(), images);
    }

    @Test
    void mouthRegionFollowsTheOpeningAus() throws IOException {
        Path out = dir.resolve("abaw");
        SyntheticAbaw.Summary s = SyntheticAbaw.write(out, VIDEOS, 120, 11);
        double open = 0;
        double closed = 0;
        int nOpen = 0;
        int nClosed = 0;
        for (String video : allVideos(s)) {
            List<String> au = Files.readAllLines(annotation(out, 2, s, video));
            for (int f = 1; f <= 120; f++) {
                double[] a = parse(2, au.get(f));
                Path img = out.resolve(SyntheticAbaw.IMAGES_FOLDER).resolve(video).resolve(SyntheticAbaw.frameFile(f));
                if (a == null || !Files.exists(img)) {
                    continue;
                }
                double b = mouthBrightness(ImageIO.read(img.toFile()));
                if (a[10] == 1 || a[11] == 1) {
                    open += b;
                    nOpen++;
                } else if (a[10] == 0 && a[11] == 0) {
                    closed += b;
                    nClosed++;
                }
            }
        }
        assertTrue(nOpen > 5 && nClosed > 5, nOpen + " open, " + nClosed + " closed");
        double meanOpen = open / nOpen;
        double meanClosed = closed / nClosed;
        assertTrue(meanOpen < meanClosed - 10, "open " + meanOpen + " vs closed " + meanClosed);
    }

    @Test
    void labelsChangeSmoothly() throws IOException {
        Path out = dir.resolve("abaw");
        SyntheticAbaw.Summary s = SyntheticAbaw.write(out, VIDEOS, 200, 3);
        double sum = 0;
        int n = 0;
        int exprChanges = 0;
        int exprPairs = 0;
        for (String video : allVideos(s)) {
            List<String> va = Files.readAllLines(annotation(out, 0, s, video));
            List<String> expr = Files.readAllLines(annotation(out, 1, s, video));
            for (int f = 2; f < va.size(); f++) {
                double[] prev = parse(0, va.get(f - 1));
                double[] cur = parse(0, va.get(f));
                if (prev != null && cur != null) {
                    sum += Math.abs(cur[0] - prev[0]) + Math.abs(cur[1] - prev[1]);
                    n += 2;
                }
                double[] e0 = parse(1, expr.get(f - 1));
                double[] e1 = parse(1, expr.get(f));
                if (e0 != null && e1 != null) {
                    exprChanges += e0[0] != e1[0] ? 1 : 0;
                    exprPairs++;
                }
            }
        }
        double meanStep = sum / n;
        assertTrue(meanStep < 0.05, "mean |dVA| " + meanStep + " over the range 2");
        assertTrue(meanStep > 0, "VA never moves");
        assertTrue(exprChanges > 0 && exprChanges < exprPairs / 5.0, exprChanges + " of " + exprPairs);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        SyntheticAbaw.write(dir.resolve("a"), VIDEOS, FRAMES, 5);
        SyntheticAbaw.write(dir.resolve("b"), VIDEOS, FRAMES, 5);
        SyntheticAbaw.write(dir.resolve("c"), VIDEOS, FRAMES, 6);
        Map<String, byte[]> a = contents(dir.resolve("a"));
        Map<String, byte[]> b = contents(dir.resolve("b"));
        Map<String, byte[]> c = contents(dir.resolve("c"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
        String va = SyntheticAbaw.VA_FOLDER + "/" + SyntheticAbaw.TRAIN_SET + "/1-30-640x480_left.txt";
        assertFalse(java.util.Arrays.equals(a.get(va), c.get(va)));
        String img = SyntheticAbaw.IMAGES_FOLDER + "/1-30-640x480_left/";
        assertTrue(a.keySet().stream().filter(k -> k.startsWith(img)).anyMatch(k -> c.containsKey(k)
                && !java.util.Arrays.equals(a.get(k), c.get(k))));
    }

    @Test
    void refusesANonEmptyOutputAndBadSizes() throws IOException {
        Files.writeString(dir.resolve("x"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SyntheticAbaw.write(dir, 1, 10, 1));
        assertEquals("out", e.field());
        assertEquals("videos", assertThrows(InvalidInputException.class,
                () -> SyntheticAbaw.write(dir.resolve("n"), 0, 10, 1)).field());
        assertEquals("frames", assertThrows(InvalidInputException.class,
                () -> SyntheticAbaw.write(dir.resolve("n"), 1, 100_000, 1)).field());
        SyntheticAbaw.Summary one = SyntheticAbaw.write(dir.resolve("one"), 1, 5, 1);
        assertEquals(List.of("1-30-1280x720"), one.trainVideos());
        assertEquals(5, one.images());
    }

    /** Mean grey level of the mouth's centre, where the opening appears (head jitter is a few pixels). */
    private static double mouthBrightness(BufferedImage img) {
        double sum = 0;
        int n = 0;
        int my = (int) (FaceRenderer.CENTER_Y + FaceRenderer.MOUTH_DY);
        for (int y = my - 3; y <= my + 5; y++) {
            for (int x = 48; x <= 64; x++) {
                int rgb = img.getRGB(x, y);
                sum += ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3.0;
                n++;
            }
        }
        return sum / n;
    }

    /** Null for an invalid marker line; fails the test for anything that is neither valid nor the marker. */
    private static double[] parse(int task, String line) {
        String[] parts = line.split(",", -1);
        switch (task) {
            case 0 -> {
                assertEquals(2, parts.length, line);
                double v = Double.parseDouble(parts[0]);
                double a = Double.parseDouble(parts[1]);
                if (v == -5 && a == -5) {
                    return null;
                }
                assertTrue(v >= -1 && v <= 1 && a >= -1 && a <= 1, line);
                return new double[] {v, a};
            }
            case 1 -> {
                assertEquals(1, parts.length, line);
                int c = Integer.parseInt(parts[0]);
                if (c == -1) {
                    return null;
                }
                assertTrue(c >= 0 && c <= 7, line);
                return new double[] {c};
            }
            default -> {
                assertEquals(12, parts.length, line);
                if (line.equals(SyntheticAbaw.AU_INVALID)) {
                    return null;
                }
                double[] out = new double[12];
                for (int i = 0; i < 12; i++) {
                    assertTrue(parts[i].equals("0") || parts[i].equals("1"), line);
                    out[i] = Integer.parseInt(parts[i]);
                }
                return out;
            }
        }
    }

    private static List<String> allVideos(SyntheticAbaw.Summary s) {
        List<String> all = new ArrayList<>(s.trainVideos());
        all.addAll(s.validationVideos());
        return all;
    }

    private static Path annotation(Path out, int task, SyntheticAbaw.Summary s, String video) {
        String set = s.trainVideos().contains(video) ? SyntheticAbaw.TRAIN_SET : SyntheticAbaw.VALIDATION_SET;
        return out.resolve(TASKS.get(task)).resolve(set).resolve(video + ".txt");
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
