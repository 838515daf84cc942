package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect submit}: writes the single submission file and one summary line; bad input is one line, exit 2. */
class SubmitCommandTest {
    private static final String AU_HEADER = "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void writesTheAuSubmissionWithThresholds() throws IOException {
        write("pred/v.txt", AU_HEADER + "\n0.5,0.4,0,0,0,0,0,0,0,0,0,0.9\n-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1\n");
        Path sample = write("sample.txt", "image_location," + AU_HEADER + "\nv/00001.jpg,,,,,,,,,,,,\nv/00002.jpg,,,,,,,,,,,,\nv/00003.jpg\n");
        Path out = dir.resolve("predictions.txt");
        CliRun r = CliRun.of("submit", "--task", "AU", "--predictions", dir.resolve("pred").toString(), "--sample", sample.toString(),
                "--out", out.toString(), "--thresholds", "0.6,0.3,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().contains("frames 3, videos 1, filled from a neighbouring frame 2"), r.out());
        assertEquals(List.of("image_location," + AU_HEADER, "v/00001.jpg,0,1,0,0,0,0,0,0,0,0,0,1",
                "v/00002.jpg,0,1,0,0,0,0,0,0,0,0,0,1", "v/00003.jpg,0,1,0,0,0,0,0,0,0,0,0,1"), Files.readAllLines(out));
    }

    @Test
    void aMissingVideoIsOneLineWithExit2() throws IOException {
        write("pred/a.txt", "valence,arousal\n0.1,0.2\n");
        Path sample = write("sample.txt", "image_location,valence,arousal\na/00001.jpg,,\nvideo10_1/00001.jpg,,\n");
        Path out = dir.resolve("predictions.txt");
        CliRun r = CliRun.of("submit", "--task", "VA", "--predictions", dir.resolve("pred").toString(), "--sample", sample.toString(),
                "--out", out.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("affect submit: ") && r.err().contains("video10_1"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aMalformedSampleLineNamesFileAndLine() throws IOException {
        Files.createDirectories(dir.resolve("pred"));
        Path sample = write("sample.txt", "image_location,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\nv/00001.jpg\nbad line\n");
        CliRun r = CliRun.of("submit", "--task", "EXPR", "--predictions", dir.resolve("pred").toString(), "--sample", sample.toString(),
                "--out", dir.resolve("o.txt").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(sample + ":3: "), r.err());
    }

    @Test
    void wrongThresholdsNameTheOption() throws IOException {
        write("pred/v.txt", AU_HEADER + "\n0,0,0,0,0,0,0,0,0,0,0,0\n");
        Path sample = write("sample.txt", "image_location," + AU_HEADER + "\nv/00001.jpg\n");
        CliRun r = CliRun.of("submit", "--task", "AU", "--predictions", dir.resolve("pred").toString(), "--sample", sample.toString(),
                "--out", dir.resolve("o.txt").toString(), "--thresholds", "0.5,0.5");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("affect submit: --thresholds: expected 12 values"), r.err());
    }
}
