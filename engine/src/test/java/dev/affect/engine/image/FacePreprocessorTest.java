package dev.affect.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import com.sun.management.ThreadMXBean;
import dev.affect.engine.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacePreprocessorTest {

    @Test
    void filesGiveTheAuthorsTensors() throws IOException {
        for (String file : new String[] {"face_a.png", "face_b.jpg", "face_c.png"}) {
            String face = file.substring(0, file.indexOf('.'));
            Tensor tensor = FacePreprocessor.load(Fixtures.file(file));
            assertEquals(Shape.of(1, 3, 112, 112), tensor.shape());
            double max = FaceNormalizerTest.maxAbsDiff(Fixtures.npy(face + ".npy").f32(), tensor.toFloatArray());
            System.out.printf("%s end to end: max |diff| %.3g%n", file, max);
            // face_b.jpg: ImageIO decodes it exactly as Pillow today (see ImageIoDecoderTest); allow the
            // decoder's bound of 2 units, which is 2 / 255 / 0.224 after normalisation.
            double bound = file.endsWith(".jpg") ? ImageIoDecoderTest.MAX_JPEG_DIFF / 255.0 / 0.224 + 1e-6 : 1e-6;
            assertTrue(max <= bound, file + " max |diff| " + max);
        }
    }

    @Test
    void batchIsAssembledFromFiles() throws IOException {
        FacePreprocessor pre = new FacePreprocessor(ImageDecoder.imageIo());
        Tensor batch = Tensor.zeros(Shape.of(2, 3, 112, 112));
        pre.writeInto(batch, 1, Fixtures.file("face_c.png"));
        pre.writeInto(batch, 0, Fixtures.file("face_a.png"));
        float[] all = batch.toFloatArray();
        int n = 3 * 112 * 112;
        assertEquals(0, FaceNormalizerTest.maxAbsDiff(Fixtures.npy("face_a.npy").f32(), Arrays.copyOfRange(all, 0, n)), 1e-6);
        assertEquals(0, FaceNormalizerTest.maxAbsDiff(Fixtures.npy("face_c.npy").f32(), Arrays.copyOfRange(all, n, 2 * n)), 1e-6);
    }

    @Test
    void badFileIsReportedByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.png");
        Files.writeString(file, "hello");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> FacePreprocessor.load(file));
        assertEquals(file + ": not a JPEG or PNG image", e.getMessage());
    }

    /** 88 Mpixel of black compresses to a few hundred KB; the header is refused before anything is decoded. */
    @Test
    void hugeImageIsRefusedFromItsHeaderWithoutDecoding() {
        byte[] png = TestImages.encode(new BufferedImage(9400, 9400, BufferedImage.TYPE_BYTE_BINARY), "png");
        assertTrue(png.length < 2_000_000, "a small file: " + png.length);
        FacePreprocessor pre = new FacePreprocessor(ImageDecoder.imageIo());
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> pre.face(png, "frames[3].image"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertEquals("frames[3].image: image of 9400x9400 pixels (88360000) exceeds the limit of 16777216 pixels per image",
                e.getMessage());
        assertEquals("frames[3].image", e.field());
        assertInstanceOf(InvalidInputException.class, e);
        assertEquals(new ImageDimensions(9400, 9400), e.declared());
        assertTrue(millis < 500, "refused in " + millis + " ms");
        assertTrue(allocated < 100_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void budgetIsConfigurableAndInclusive() {
        byte[] png = TestImages.encode(new BufferedImage(20, 10, BufferedImage.TYPE_3BYTE_BGR), "png");
        assertEquals(112, new FacePreprocessor(ImageDecoder.imageIo(), 200).face(png, "ok.png").width());
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> new FacePreprocessor(ImageDecoder.imageIo(), 199).face(png, "big.png"));
        assertEquals(199, e.limit());
        assertTrue(e.getMessage().contains("20x10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FacePreprocessor(ImageDecoder.imageIo(), 0));
    }

    @Test
    void zeroSizeIsRefusedBeforeDecoding() {
        byte[] png = TestImages.encode(new BufferedImage(20, 10, BufferedImage.TYPE_3BYTE_BGR), "png");
        png[20] = png[21] = png[22] = png[23] = 0; // IHDR height
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> new FacePreprocessor(ImageDecoder.imageIo()).face(png, "flat.png"));
        assertEquals("flat.png: image has zero size (20x0)", e.getMessage());
    }

    @Test
    void fileIsCheckedAgainstTheBudgetToo(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("wide.png"),
                TestImages.encode(new BufferedImage(5000, 4000, BufferedImage.TYPE_BYTE_BINARY), "png"));
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> FacePreprocessor.load(file));
        assertEquals(file.toString(), e.field());
    }
}
