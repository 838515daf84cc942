package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.synth.SyntheticAbaw;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect evaluate} writes a report beside metrics.json; {@code affect report} renders one from files. */
class ReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path shared;
    static Path data;
    static Path evaluated;

    @BeforeAll
    static void evaluateASyntheticSplit() throws Exception {
        data = shared.resolve("data");
        SyntheticAbaw.write(data, 3, 16, 11);
        evaluated = shared.resolve("evaluated");
        CliRun run = CliRun.of("evaluate", "--demo", "--data", data.toString(), "--split", "validation",
                "--out", evaluated.toString(), "--json", "--backend", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        // --json keeps stdout pure JSON even though a report is written
        JSON.readTree(run.out());
    }

    @Test
    void evaluateWritesAReportWhoseScoresAreTheMetricsAndWhoseImagesDecode() throws Exception {
        JsonNode metrics = JSON.readTree(evaluated.resolve("metrics.json").toFile());
        JsonNode report = JSON.readTree(evaluated.resolve("report.json").toFile());
        for (AbawTask task : AbawTask.values()) {
            JsonNode m = metrics.get("tasks").get(task.name());
            JsonNode r = report.get("tasks").get(task.name());
            // the report repeats every score it shows exactly as affect score computed it
            r.properties().forEach(e -> assertEquals(m.get(e.getKey()), e.getValue(), task + " " + e.getKey()));
        }
        assertEquals("validation", report.get("context").get("split").asText());

        Document page = Jsoup.parse(evaluated.resolve("report.html").toFile());
        List<String> images = page.select("img").eachAttr("src");
        assertEquals(List.of("plots/va-density.png", "plots/va-agreement.png", "plots/confusion-matrix.png", "plots/au-f1.png"),
                images);
        for (String src : images) {
            assertNotNull(ImageIO.read(evaluated.resolve(src).toFile()), src);
        }
        long[] support = new long[8];
        JsonNode cm = metrics.get("tasks").get("EXPR").get("confusion_matrix");
        long total = 0;
        for (int t = 0; t < 8; t++) {
            for (JsonNode c : cm.get(t)) {
                support[t] += c.asLong();
            }
            total += support[t];
        }
        assertEquals(metrics.get("tasks").get("EXPR").get("n_frames").asLong(), total);
        // the VA plots cover exactly the scored frames
        assertTrue(page.selectFirst("img[src$=va-density.png]").attr("alt")
                .contains(metrics.get("tasks").get("VA").get("n_frames").asInt() + " frames"));
    }

    @Test
    void noReportSkipsIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("evaluate", "--demo", "--data", data.toString(), "--split", "validation",
                "--out", out.toString(), "--no-report", "--backend", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.isRegularFile(out.resolve("metrics.json")));
        assertFalse(Files.exists(out.resolve("report.html")));
        assertFalse(Files.exists(out.resolve("plots")));
    }

    @Test
    void reportRendersMetricsHistoryAndVaFoldersFromFiles(@TempDir Path tmp) throws Exception {
        Path history = tmp.resolve("history.json");
        Files.writeString(history, """
                {"series": [{"name": "train loss", "x": "step", "points": [[1, 2.0], [2, 1.6], [3, 1.1]]},
                            {"name": "validation P_VA", "x": "epoch", "points": [[1, 0.1], [2, 0.2]]}]}
                """);
        Path out = tmp.resolve("report");
        CliRun run = CliRun.of("report", "--metrics", evaluated.resolve("metrics.json").toString(),
                "--history", history.toString(), "--va-predictions", evaluated.resolve(AbawTask.VA.folder()).toString(),
                "--va-annotations", data.resolve(AbawTask.VA.folder()).resolve("Validation_Set").toString(),
                "--title", "Run <7>", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("report.html") && run.out().contains("6 plots"), run.out());
        Document page = Jsoup.parse(out.resolve("report.html").toFile());
        // metrics.json names no title, so --title applies, as text
        assertEquals("Run <7>", page.title());
        assertEquals(List.of("va-density", "va-agreement", "confusion-matrix", "au-f1", "training-step", "training-epoch"),
                page.select("img").eachAttr("src").stream().map(s -> s.replace("plots/", "").replace(".png", "")).toList());
    }

    @Test
    void historyAloneMakesAReportAndBadInputIsOneLineExitTwo(@TempDir Path tmp) throws Exception {
        Path history = tmp.resolve("history.json");
        Files.writeString(history, "{\"series\": [{\"name\": \"loss\", \"x\": \"step\", \"points\": [[1, 2.0], [2, 1.0]]}]}");
        CliRun ok = CliRun.of("report", "--history", history.toString(), "--out", tmp.resolve("h").toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(Files.isRegularFile(tmp.resolve("h").resolve("plots").resolve("training-step.png")));

        for (String[] args : List.of(
                new String[] {"report", "--out", tmp.resolve("o").toString()},
                new String[] {"report", "--metrics", tmp.resolve("none.json").toString(), "--out", tmp.resolve("o").toString()},
                new String[] {"report", "--metrics", history.toString(), "--out", tmp.resolve("o").toString()},
                new String[] {"report", "--history", history.toString(), "--va-predictions", tmp.toString(),
                        "--out", tmp.resolve("o").toString()})) {
            CliRun bad = CliRun.of(args);
            assertEquals(2, bad.exitCode(), String.join(" ", args) + ": " + bad.out() + bad.err());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());
        }
    }
}
