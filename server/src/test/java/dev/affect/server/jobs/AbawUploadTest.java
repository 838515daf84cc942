package dev.affect.server.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload writer on its own: gaps, labels that start late, PNG bytes kept, exact byte count, the cap. */
class AbawUploadTest {
    static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 2, 0x00ff8040);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static final float[] AU = {1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1};

    @Test
    void gapsAndLateLabelsAreInvalidMarkersAndAPngKeepsItsBytes(@TempDir Path tmp) throws Exception {
        byte[] png = png();
        Path target = tmp.resolve("job/data");
        try (AbawUpload up = new AbawUpload(Files.createDirectory(tmp.resolve("stage")), 1 << 20)) {
            up.frame("frames[0]", "v1", AbawSplit.TRAIN, 0, null, Map.of(AbawTask.EXPR, new float[] {3}));
            up.frame("frames[1]", "v1", null, 3, png, Map.of(AbawTask.VA, new float[] {0.25f, -0.125f}, AbawTask.AU, AU));
            up.frame("frames[2]", "v1", AbawSplit.TRAIN, 0, null, Map.of());
            up.frame("frames[3]", "v2", AbawSplit.VALIDATION, 2, png, Map.of(AbawTask.VA, new float[] {-5, 1}));
            up.finish(AbawTask.VA, false);
            long bytes = up.bytes();
            up.moveTo(target);
            try (Stream<Path> files = Files.walk(target)) {
                assertEquals(bytes, files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum(),
                        "the cap counts exactly what is on disk");
            }
        }
        AbawDataset ds = AbawDataset.open(target);
        assertEquals(List.of("AU_Detection_Challenge", "EXPR_Recognition_Challenge", "VA_Estimation_Challenge"),
                Stream.of(AbawTask.values()).filter(t -> Files.isDirectory(target.resolve(t.folder())))
                        .map(AbawTask::folder).sorted().toList());
        var expr = ds.annotations(AbawTask.EXPR, AbawSplit.TRAIN, "v1");
        assertEquals(4, expr.frames());
        assertArrayEquals(new float[] {3}, expr.label(1));
        for (int k = 2; k <= 4; k++) {
            assertTrue(expr.isInvalid(k), "frame " + k);
        }
        var va = ds.annotations(AbawTask.VA, AbawSplit.TRAIN, "v1");
        assertEquals(4, va.frames());
        assertArrayEquals(new float[] {-5, -5}, va.label(1));
        assertArrayEquals(new float[] {0.25f, -0.125f}, va.label(3));
        assertTrue(va.isInvalid(2) && va.isInvalid(4));
        var au = ds.annotations(AbawTask.AU, AbawSplit.TRAIN, "v1");
        assertArrayEquals(AU, au.label(3));
        assertTrue(au.isInvalid(1) && au.isInvalid(4));
        BitSet images = new BitSet();
        images.set(3);
        assertEquals(images, ds.framesWithImage("v1"));
        assertArrayEquals(png, Files.readAllBytes(ds.imagePath("v1", 3)));
        RgbImage decoded = ImageDecoder.best().decode(ds.imagePath("v1", 3));
        assertEquals(8, decoded.width(), "the reader decodes the PNG by its content despite the .jpg name");
        assertEquals(List.of("v2"), ds.videos(AbawTask.VA, AbawSplit.VALIDATION));
        assertEquals(List.of(), ds.videos(AbawTask.EXPR, AbawSplit.VALIDATION), "v2 has no EXPR label: no file");
        assertArrayEquals(new float[] {-5, -5}, ds.annotations(AbawTask.VA, AbawSplit.VALIDATION, "v2").label(1));
        assertArrayEquals(new float[] {-5, 1}, ds.annotations(AbawTask.VA, AbawSplit.VALIDATION, "v2").label(2));
        assertFalse(Files.exists(tmp.resolve("stage")), "moved, not copied");
    }

    @Test
    void theCapIsCheckedBeforeWritingAndCloseDeletesEverything(@TempDir Path tmp) throws Exception {
        Path stage = Files.createDirectory(tmp.resolve("stage"));
        AbawUpload up = new AbawUpload(stage, 100);
        up.frame("frames[0]", "v", AbawSplit.TRAIN, 1, null, Map.of(AbawTask.EXPR, new float[] {1}));
        // a huge gap would write ~100k invalid lines: refused from its size alone
        UploadTooLargeException e = assertThrows(UploadTooLargeException.class,
                () -> up.frame("frames[1]", "v", null, 99_999, null, Map.of(AbawTask.EXPR, new float[] {1})));
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
        assertTrue(up.bytes() <= 100);
        up.close();
        assertFalse(Files.exists(stage));
    }

    @Test
    void theIndexMustFitFiveDigits(@TempDir Path tmp) throws Exception {
        try (AbawUpload up = new AbawUpload(Files.createDirectory(tmp.resolve("stage")), 1 << 20)) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> up.frame("frames[0]", "v", AbawSplit.TRAIN, 100_000, null, Map.of()));
            assertEquals("frames[0].index", e.field());
        }
    }

    @Test
    void aJobHoldingOutValidatesOnItsOwnTrainingVideosSoNeedsNoValidationSplit(@TempDir Path tmp) throws Exception {
        try (AbawUpload up = new AbawUpload(Files.createDirectory(tmp.resolve("stage")), 1 << 20)) {
            up.frame("frames[0]", "v1", AbawSplit.TRAIN, 0, null, Map.of(AbawTask.EXPR, new float[] {3}));
            up.frame("frames[1]", "v2", AbawSplit.TRAIN, 0, null, Map.of(AbawTask.EXPR, new float[] {1}));
            assertEquals("frames", org.junit.jupiter.api.Assertions.assertThrows(
                    dev.affect.engine.InvalidInputException.class, () -> up.finish(AbawTask.EXPR, false)).field());
        }
        try (AbawUpload up = new AbawUpload(Files.createDirectory(tmp.resolve("stage2")), 1 << 20)) {
            up.frame("frames[0]", "v1", AbawSplit.TRAIN, 0, null, Map.of(AbawTask.EXPR, new float[] {3}));
            up.frame("frames[1]", "v2", AbawSplit.TRAIN, 0, null, Map.of(AbawTask.EXPR, new float[] {1}));
            up.finish(AbawTask.EXPR, true);
        }
    }
}
