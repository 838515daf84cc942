package dev.affect.engine.data.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.abaw.AnnotationFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SampleFile} and {@link SubmissionWriter}: exact header, sample order, gap filling, thresholds, errors with file:line. */
class SubmissionWriterTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private List<String> submit(AbawTask task, String sampleText, float[] thresholds) throws IOException {
        SampleFile sample = SampleFile.read(write("sample.txt", sampleText), task);
        Path out = dir.resolve("predictions.txt");
        SubmissionWriter.write(dir.resolve("pred"), sample, out, thresholds);
        return Files.readAllLines(out);
    }

    @Test
    void vaKeepsSampleOrderClampsAndFillsFromThePreviousElseTheNextFrame() throws IOException {
        write("pred/b.txt", "valence,arousal\n-5,-5\n0.25,-0.5\n-5,0.1\n1.7,-3\n");
        write("pred/a_left.txt", "valence,arousal\n0.1,0.2\n");
        List<String> lines = submit(AbawTask.VA, "image_location,valence,arousal\n"
                + "b/00001.jpg,,\nb/00002.jpg,,\nb/00003.jpg,,\na_left/00001.jpg\nb/00004.jpg,,\nb/00006.jpg,,\na_left/00003.jpg,,\n", null);
        assertEquals(List.of("image_location,valence,arousal",
                "b/00001.jpg,0.25,-0.5", // invalid first frame: no previous, the next one
                "b/00002.jpg,0.25,-0.5",
                "b/00003.jpg,0.25,-0.5", // -5 in one value: previous
                "a_left/00001.jpg,0.1,0.2",
                "b/00004.jpg,1,-1", // clamped
                "b/00006.jpg,1,-1", // beyond the end: the last predicted frame
                "a_left/00003.jpg,0.1,0.2"), lines);
    }

    @Test
    void exprWritesTheClassIndex() throws IOException {
        write("pred/v.txt", AbawTask.EXPR.header() + "\n4\n-1\n7\n0\n");
        List<String> lines = submit(AbawTask.EXPR, SampleFile.header(AbawTask.EXPR) + "\nv/00001.jpg\nv/00002.jpg\nv/00003.jpg\nv/00004.jpg\n", null);
        assertEquals(List.of("image_location,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other",
                "v/00001.jpg,4", "v/00002.jpg,4", "v/00003.jpg,7", "v/00004.jpg,0"), lines);
    }

    @Test
    void auBinarisesWithDefaultAndPerAuThresholds() throws IOException {
        write("pred/v.txt", AbawTask.AU.header() + "\n0.5,0.49,0.9,0.1,1,0,0.3,0.3,0.7,0.7,0.6,0.2\n"
                + "-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1\n");
        String sample = SampleFile.header(AbawTask.AU) + "\nv/00001.jpg,,,,,,,,,,,,\nv/00002.jpg\n";
        assertEquals(List.of("image_location,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26",
                "v/00001.jpg,1,0,1,0,1,0,0,0,1,1,1,0", "v/00002.jpg,1,0,1,0,1,0,0,0,1,1,1,0"), submit(AbawTask.AU, sample, null));
        float[] t = SubmissionWriter.defaultThresholds();
        t[0] = 0.6f;
        t[6] = 0.25f;
        t[11] = 0.2f;
        assertEquals("v/00001.jpg,0,0,1,0,1,0,1,0,1,1,1,1", submit(AbawTask.AU, sample, t).get(1));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> submit(AbawTask.AU, sample, new float[] {0.5f}));
        assertEquals("thresholds", e.field());
    }

    @Test
    void aVideoWithoutPredictionFileIsNamedAndNothingIsWritten() throws IOException {
        write("pred/a.txt", "valence,arousal\n0.1,0.2\n");
        MissingPredictionException e = assertThrows(MissingPredictionException.class, () -> submit(AbawTask.VA,
                "image_location,valence,arousal\na/00001.jpg,,\n118-30-640x480/00001.jpg,,\n", null));
        assertEquals("118-30-640x480", e.video());
        assertTrue(e.getMessage().contains("118-30-640x480"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("predictions.txt")));
        write("pred/c.txt", "valence,arousal\n-5,-5\n");
        e = assertThrows(MissingPredictionException.class, () -> submit(AbawTask.VA, "image_location,valence,arousal\nc/00001.jpg\n", null));
        assertEquals("c", e.video());
    }

    @Test
    void aMalformedSampleLineNamesFileAndLine() throws IOException {
        Path file = write("s.txt", "image_location,valence,arousal\nv/00001.jpg,,\nv/1.png,,\n");
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class, () -> SampleFile.read(file, AbawTask.VA));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
        Path header = write("h.txt", "image_location,valence\nv/00001.jpg\n");
        e = assertThrows(AnnotationFormatException.class, () -> SampleFile.read(header, AbawTask.VA));
        assertEquals(1, e.line());
        Path zero = write("z.txt", "image_location,valence,arousal\nv/00000.jpg\n");
        assertEquals(2, assertThrows(AnnotationFormatException.class, () -> SampleFile.read(zero, AbawTask.VA)).line());
    }

    @Test
    void aMalformedPredictionLineNamesFileAndLine() throws IOException {
        Path pred = write("pred/v.txt", AbawTask.AU.header() + "\n0,0,0,0,0,0,0,0,0,0,0,0\n0,0,0,0,0,0,0,0,0,0,0,1.5\n");
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class,
                () -> submit(AbawTask.AU, SampleFile.header(AbawTask.AU) + "\nv/00001.jpg\n", null));
        assertTrue(e.getMessage().startsWith(pred + ":3: "), e.getMessage());
    }

    @Test
    void sampleReadsEntriesAndVideosInOrder() throws IOException {
        SampleFile s = SampleFile.read(write("s.txt", "image_location,valence,arousal\nx_right/00002.jpg,,\nx_left/00010.jpg\n"), AbawTask.VA);
        assertEquals(List.of(new SampleFile.Entry("x_right/00002.jpg", "x_right", 2), new SampleFile.Entry("x_left/00010.jpg", "x_left", 10)),
                s.entries());
        assertEquals(List.of("x_right", "x_left"), List.copyOf(s.videos()));
        assertEquals("-0.00001", SubmissionWriter.plain(-1e-5f));
    }
}
