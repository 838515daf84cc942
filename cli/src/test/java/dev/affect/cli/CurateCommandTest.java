package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect curate}: the per task and split counts as a table and as JSON; bad input is one line, exit 2. */
class CurateCommandTest {
    private static final String VA = "valence,arousal";
    private static final String EXPR = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other";
    private static final String AU = "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";

    @TempDir
    Path root;

    private Path annotations(String task, String split, String video, String header, String... lines) throws IOException {
        Path dir = Files.createDirectories(root.resolve(task).resolve(split));
        List<String> all = new ArrayList<>(List.of(header));
        all.addAll(List.of(lines));
        return Files.write(dir.resolve(video + ".txt"), all);
    }

    private void images(String video, int... frames) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cropped_aligned").resolve(video));
        for (int k : frames) {
            Files.write(dir.resolve(String.format("%05d.jpg", k)), new byte[] {(byte) 0xFF, (byte) 0xD8});
        }
    }

    /** VA train: a _left/_right pair; EXPR validation: one video; AU train: one video. */
    private void release() throws IOException {
        annotations("VA_Estimation_Challenge", "Train_Set", "5-60-1920x1080_left", VA, "0.1,0.2", "-5,-5", "0.3,0.3");
        images("5-60-1920x1080_left", 1, 2);
        annotations("VA_Estimation_Challenge", "Train_Set", "5-60-1920x1080_right", VA, "0,0", "1,-1");
        images("5-60-1920x1080_right", 1, 2);
        annotations("EXPR_Recognition_Challenge", "Validation_Set", "video7", EXPR, "6", "-1", "0");
        images("video7", 1, 3);
        annotations("AU_Detection_Challenge", "Train_Set", "video8", AU, "1,1,1,1,1,1,1,1,1,1,1,1",
                "-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1");
        images("video8", 1);
    }

    @Test
    void printsTheCountsAsATable() throws IOException {
        release();
        CliRun r = CliRun.of("curate", root.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("""
                task  split       videos  frames before  frames after  dropped invalid  dropped no image
                VA    train            2              5             3                1                 1
                VA    validation       0              0             0                0                 0
                EXPR  train            0              0             0                0                 0
                EXPR  validation       1              3             2                1                 0
                AU    train            1              2             1                1                 0
                AU    validation       0              0             0                0                 0
                """, r.out());
    }

    @Test
    void printsTheCountsAsJson() throws IOException {
        release();
        CliRun r = CliRun.of("curate", root.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(root.toString(), doc.get("root").asText());
        assertEquals(root.resolve("cropped_aligned").toString(), doc.get("images").asText());
        JsonNode splits = doc.get("splits");
        assertEquals(6, splits.size());
        JsonNode va = splits.get(0);
        assertEquals("VA", va.get("task").asText());
        assertEquals("train", va.get("split").asText());
        assertEquals(2, va.get("videos").asInt());
        assertEquals(5, va.get("frames_before").asLong());
        assertEquals(3, va.get("frames_after").asLong());
        assertEquals(1, va.get("dropped_invalid").asLong());
        assertEquals(1, va.get("dropped_no_image").asLong());
        JsonNode expr = splits.get(3);
        assertEquals("EXPR", expr.get("task").asText());
        assertEquals("validation", expr.get("split").asText());
        assertEquals(List.of(1L, 3L, 2L, 1L, 0L), List.of(expr.get("videos").asLong(), expr.get("frames_before").asLong(),
                expr.get("frames_after").asLong(), expr.get("dropped_invalid").asLong(), expr.get("dropped_no_image").asLong()));
        assertEquals("AU", splits.get(4).get("task").asText());
        assertEquals(1, splits.get(4).get("frames_after").asLong());
    }

    @Test
    void imagesMayLiveElsewhere() throws IOException {
        release();
        Path moved = Files.move(root.resolve("cropped_aligned"), root.resolve("crops"));
        CliRun r = CliRun.of("curate", root.toString(), "--images", moved.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\nVA    train            2              5             3                1                 1\n"), r.out());
        CliRun missing = CliRun.of("curate", root.toString());
        assertEquals(UserErrors.BAD_INPUT, missing.exitCode(), missing.err());
        assertEquals("affect curate: no such file: " + root.resolve("cropped_aligned") + "\n", missing.err());
    }

    @Test
    void aMissingRootIsOneLineExitTwo() {
        Path absent = root.resolve("absent");
        CliRun r = CliRun.of("curate", absent.toString());
        assertEquals(UserErrors.BAD_INPUT, r.exitCode(), r.err());
        assertEquals("affect curate: no such file: " + absent + "\n", r.err());
    }

    @Test
    void aRootWithoutTaskFoldersIsOneLineExitTwo() throws IOException {
        Files.createDirectories(root.resolve("cropped_aligned"));
        CliRun r = CliRun.of("curate", root.toString());
        assertEquals(UserErrors.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("affect curate: " + root + ": not an ABAW annotation root"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aMalformedLineNamesFileAndLineExitTwo() throws IOException {
        release();
        Path bad = annotations("EXPR_Recognition_Challenge", "Train_Set", "video9", EXPR, "1", "2", "8");
        CliRun r = CliRun.of("curate", root.toString(), "--json");
        assertEquals(UserErrors.BAD_INPUT, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("affect curate: " + bad + ":4: class 8 is outside 0..7"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
