package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect synth}: writes the ABAW layout and one summary line; refuses a non-empty --out with exit 2. */
class SynthCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheDatasetAndOneSummaryLine() throws IOException {
        Path out = dir.resolve("abaw");
        CliRun r = CliRun.of("synth", "--out", out.toString(), "--videos", "2", "--frames", "20", "--seed", "4");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().contains("videos 2 (train 1, validation 1), frames 40, images written "), r.out());
        assertTrue(r.out().contains("invalid labels ") && r.out().contains("missing images "), r.out());
        assertTrue(Files.isRegularFile(out.resolve("VA_Estimation_Challenge/Train_Set/1-30-640x480_left.txt")));
        assertTrue(Files.isRegularFile(out.resolve("AU_Detection_Challenge/Validation_Set/1-30-640x480_right.txt")));
        assertTrue(Files.isDirectory(out.resolve("cropped_aligned/1-30-640x480_right")));
    }

    @Test
    void refusesANonEmptyOutWithOneLine() throws IOException {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        CliRun r = CliRun.of("synth", "--out", dir.toString(), "--videos", "1", "--frames", "10");
        assertEquals(2, r.exitCode(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("affect synth: --out: "), r.err());
        assertTrue(r.err().contains("not empty"), r.err());
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
    }

    @Test
    void badSizesNameTheOption() {
        CliRun r = CliRun.of("synth", "--out", dir.resolve("x").toString(), "--frames", "0");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("affect synth: --frames: "), r.err());
    }
}
