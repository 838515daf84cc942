package dev.affect.engine.data.abaw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AnnotationFile}: exact header, line k+1 is frame k, and every malformed line is an error with file and line. */
class AnnotationFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsEachTaskWithItsInvalidMarkers() throws IOException {
        AnnotationFile va = AnnotationFile.read(write("v_left.txt", "valence,arousal\n0.264,0.135\n-5,-5\n-1,0.5\r\n"), AbawTask.VA);
        assertEquals("v_left", va.video());
        assertEquals(3, va.frames());
        assertArrayEquals(new float[] {0.264f, 0.135f}, va.label(1));
        assertTrue(va.isInvalid(2));
        assertFalse(va.isInvalid(3));
        assertThrows(IndexOutOfBoundsException.class, () -> va.label(0));
        assertThrows(IndexOutOfBoundsException.class, () -> va.label(4));

        AnnotationFile expr = AnnotationFile.read(write("e.txt",
                "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n0\n7\n-1\n"), AbawTask.EXPR);
        assertEquals(3, expr.frames());
        assertArrayEquals(new float[] {7f}, expr.label(2));
        assertTrue(expr.isInvalid(3));

        AnnotationFile au = AnnotationFile.read(write("a.txt", AbawTask.AU.header() + "\n0,1,0,1,0,1,0,1,0,1,0,1\n"
                + "0,0,0,0,0,-1,0,0,0,0,0,0\n"), AbawTask.AU);
        assertEquals(2, au.frames());
        assertFalse(au.isInvalid(1));
        assertTrue(au.isInvalid(2));
        assertEquals("AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26", AbawTask.AU.header());
    }

    @Test
    void aHeaderOnlyFileHasNoFrames() throws IOException {
        assertEquals(0, AnnotationFile.read(write("h.txt", "valence,arousal\n"), AbawTask.VA).frames());
    }

    private void assertMalformed(AbawTask task, String text, int line, String detailPart) throws IOException {
        Path file = write("bad.txt", text);
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class, () -> AnnotationFile.read(file, task));
        assertEquals(file, e.file());
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
        assertTrue(e.detail().contains(detailPart), e.getMessage());
    }

    @Test
    void headersMustMatchExactly() throws IOException {
        assertMalformed(AbawTask.VA, "", 1, "empty file");
        assertMalformed(AbawTask.VA, "valence, arousal\n0,0\n", 1, "header");
        assertMalformed(AbawTask.VA, "Valence,Arousal\n0,0\n", 1, "header");
        assertMalformed(AbawTask.EXPR, "valence,arousal\n0\n", 1, "header");
        assertMalformed(AbawTask.AU, "AU1,AU2\n0,0\n", 1, "header");
    }

    @Test
    void wrongFieldCountsNameTheLine() throws IOException {
        assertMalformed(AbawTask.VA, "valence,arousal\n0,0\n0.1\n", 3, "expected 2");
        assertMalformed(AbawTask.VA, "valence,arousal\n0,0\n0,0\n0,0,0\n", 4, "got 3");
        assertMalformed(AbawTask.VA, "valence,arousal\n0,0\n\n0,0\n", 3, "got 1");
        assertMalformed(AbawTask.EXPR, AbawTask.EXPR.header() + "\n1,2\n", 2, "expected 1");
        assertMalformed(AbawTask.AU, AbawTask.AU.header() + "\n0,0,0,0,0,0,0,0,0,0,0\n", 2, "expected 12");
    }

    @Test
    void notANumberNamesTheLine() throws IOException {
        assertMalformed(AbawTask.VA, "valence,arousal\n0,0\n0.1,abc\n", 3, "arousal is not a number");
        assertMalformed(AbawTask.VA, "valence,arousal\nNaN,0\n", 2, "valence is not a number");
        assertMalformed(AbawTask.VA, "valence,arousal\n 0.1,0\n", 2, "not a number");
        assertMalformed(AbawTask.EXPR, AbawTask.EXPR.header() + "\n3\n4.0\n", 3, "not an integer");
        assertMalformed(AbawTask.AU, AbawTask.AU.header() + "\n0,0,0,0,0,0,0,0,0,0,0,x\n", 2, "AU26 is not an integer");
    }

    @Test
    void outOfRangeValuesNameTheLine() throws IOException {
        assertMalformed(AbawTask.VA, "valence,arousal\n0,0\n1.5,0\n", 3, "valence 1.5 is outside [-1, 1]");
        assertMalformed(AbawTask.VA, "valence,arousal\n0,-1.01\n", 2, "outside [-1, 1]");
        assertMalformed(AbawTask.VA, "valence,arousal\n-4,0\n", 2, "outside [-1, 1]");
        assertMalformed(AbawTask.EXPR, AbawTask.EXPR.header() + "\n8\n", 2, "outside 0..7");
        assertMalformed(AbawTask.EXPR, AbawTask.EXPR.header() + "\n-5\n", 2, "outside 0..7");
        assertMalformed(AbawTask.EXPR, AbawTask.EXPR.header() + "\n99999999999\n", 2, "out of range");
        assertMalformed(AbawTask.AU, AbawTask.AU.header() + "\n0,0,0,0,0,0,0,0,0,0,0,0\n0,2,0,0,0,0,0,0,0,0,0,0\n", 3,
                "AU2 2 is outside 0..1");
    }
}
