package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.metrics.AuMetrics;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.metrics.VaMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** affect score on small annotation/prediction folders; values checked against engine.metrics directly. */
class ScoreCommandTest {
    static final String VA = "valence,arousal";
    static final String EXPR = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other";
    static final String AU = "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";

    @TempDir
    Path tmp;

    Path ann;
    Path pred;

    private void folders() throws IOException {
        ann = Files.createDirectories(tmp.resolve("ann"));
        pred = Files.createDirectories(tmp.resolve("pred"));
    }

    private static void write(Path dir, String video, String... lines) throws IOException {
        Files.writeString(dir.resolve(video + ".txt"), String.join("\n", lines) + "\n");
    }

    private CliRun score(String task, String... extra) {
        String[] base = {"score", "--task", task, "--predictions", pred.toString(), "--annotations", ann.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private static JsonNode json(CliRun r) throws IOException {
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void vaScoresAllVideosAsOneSetAndSkipsInvalidFrames() throws IOException {
        folders();
        write(ann, "v1", VA, "0.5,0.1", "-5,-5", "-0.2,0.3");
        write(pred, "v1", VA, "0.4,0.2", "0.9,0.9", "-0.1,0.1");
        write(ann, "v2_left", VA, "0.1,-0.6", "0.8,0.4");
        write(pred, "v2_left", VA, "0.0,-0.5", "0.6,0.5");
        write(pred, "unannotated", VA, "0.0,0.0");
        JsonNode j = json(score("VA", "--json"));
        VaMetrics m = VaMetrics.of(new double[] {0.4, -0.1, 0.0, 0.6}, new double[] {0.2, 0.1, -0.5, 0.5},
                new double[] {0.5, -0.2, 0.1, 0.8}, new double[] {0.1, 0.3, -0.6, 0.4});
        assertEquals(4, j.get("n_frames").asInt());
        assertEquals(2, j.get("videos").asInt());
        assertEquals(m.cccValence(), j.get("ccc_valence").asDouble(), 1e-12);
        assertEquals(m.cccArousal(), j.get("ccc_arousal").asDouble(), 1e-12);
        assertEquals(m.pVa(), j.get("p_va").asDouble(), 1e-12);
        CliRun table = score("VA");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("p_va"), table.out());
    }

    @Test
    void exprMacroF1() throws IOException {
        folders();
        write(ann, "a", EXPR, "0", "1", "-1", "2", "7", "7");
        write(pred, "a", EXPR, "0", "2", "5", "2", "7", "3");
        JsonNode j = json(score("EXPR", "--json"));
        ExprMetrics m = ExprMetrics.of(new long[] {0, 2, 2, 7, 3}, new long[] {0, 1, 2, 7, 7});
        assertEquals(5, j.get("n_frames").asInt());
        assertEquals(m.f1Macro(), j.get("f1_macro").asDouble(), 1e-12);
        assertEquals(m.accuracy(), j.get("accuracy").asDouble(), 1e-12);
    }

    @Test
    void auF1AndSearchedThresholds() throws IOException {
        folders();
        String[] a = {AU, "1,0,0,0,0,0,0,0,0,0,0,1", "0,1,0,0,0,0,0,0,0,0,1,1", "-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1",
                "1,1,1,0,0,0,0,0,0,0,0,0"};
        String[] p = {AU, "0.9,0.2,0.1,0,0,0,0,0,0,0,0.3,0.75", "0.35,0.6,0,0,0,0,0,0,0,0,0.55,0.45", "1,1,1,1,1,1,1,1,1,1,1,1",
                "0.65,0.15,0.8,0.2,0,0,0,0,0,0,0,0"};
        write(ann, "x", a);
        write(pred, "x", p);
        JsonNode j = json(score("AU", "--json"));
        double[] prob = new double[36];
        long[] truth = new long[36];
        int row = 0;
        for (int line : new int[] {1, 2, 4}) {
            String[] ps = p[line].split(",");
            String[] as = a[line].split(",");
            for (int k = 0; k < 12; k++) {
                prob[row * 12 + k] = Double.parseDouble(ps[k]);
                truth[row * 12 + k] = Long.parseLong(as[k]);
            }
            row++;
        }
        AuMetrics m = AuMetrics.of(prob, truth, 12);
        assertEquals(3, j.get("n_frames").asInt());
        assertEquals(m.f1Mean(), j.get("f1_mean").asDouble(), 1e-12);
        assertEquals(m.f1MeanOptimized(), j.get("f1_mean_optimized").asDouble(), 1e-12);
        JsonNode thresholds = j.get("thresholds");
        assertEquals(12, thresholds.size());
        for (int k = 0; k < 12; k++) {
            assertEquals(m.bestThresholds()[k], thresholds.get(ScoreCommand.HEADERS.get(
                    dev.affect.engine.model.heads.Task.AU).split(",")[k]).asDouble(), "AU " + k);
        }
    }

    private void assertOneLineExit2(CliRun r, String... mentions) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        for (String m : mentions) {
            assertTrue(err.contains(m), err + " should mention " + m);
        }
    }

    @Test
    void missingPredictionFile() throws IOException {
        folders();
        write(ann, "a", EXPR, "0");
        write(ann, "b", EXPR, "1");
        write(pred, "a", EXPR, "0");
        assertOneLineExit2(score("EXPR", "--json"), pred.resolve("b.txt").toString());
    }

    @Test
    void lineCountMismatch() throws IOException {
        folders();
        write(ann, "a", EXPR, "0", "1", "2");
        write(pred, "a", EXPR, "0", "1");
        assertOneLineExit2(score("EXPR"), pred.resolve("a.txt") + ":4");
    }

    @Test
    void wrongHeader() throws IOException {
        folders();
        write(ann, "a", VA, "0.1,0.2");
        write(pred, "a", "image_location,valence,arousal", "0.1,0.2");
        assertOneLineExit2(score("VA"), pred.resolve("a.txt") + ":1");
    }

    @Test
    void malformedValues() throws IOException {
        folders();
        write(ann, "a", VA, "0.1,0.2", "0.3,0.4");
        write(pred, "a", VA, "0.1,0.2", "0.3,abc");
        assertOneLineExit2(score("VA"), pred.resolve("a.txt") + ":3", "abc");
        write(pred, "a", VA, "0.1,0.2", "0.3");
        assertOneLineExit2(score("VA"), pred.resolve("a.txt") + ":3");
        write(ann, "a", EXPR, "0", "9");
        write(pred, "a", EXPR, "0", "1");
        assertOneLineExit2(score("EXPR"), ann.resolve("a.txt") + ":3", "9");
        write(ann, "a", AU, "1,0,0,0,0,0,0,0,0,0,0,1");
        write(pred, "a", AU, "1.5,0,0,0,0,0,0,0,0,0,0,1");
        assertOneLineExit2(score("AU"), pred.resolve("a.txt") + ":2", "1.5");
    }

    @Test
    void noValidFrameIsAUserError() throws IOException {
        folders();
        write(ann, "a", EXPR, "-1");
        write(pred, "a", EXPR, "3");
        assertOneLineExit2(score("EXPR"), "no valid annotated frame");
    }
}
