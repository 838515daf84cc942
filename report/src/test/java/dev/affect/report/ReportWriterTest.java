package dev.affect.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.InvalidInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void writesPageJsonAndEveryPlotTheyNameAndNoTemporaryFiles(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("metrics.json"), "{}");
        ReportWriter.Written w = ReportWriter.write(SampleReports.evaluation(400, 5), out);

        assertEquals(List.of("va-density", "va-agreement", "confusion-matrix", "au-f1", "training-step", "training-epoch"),
                w.plots().stream().map(p -> p.getFileName().toString().replace(".png", "")).toList());
        JsonNode json = new ObjectMapper().readTree(w.json().toFile());
        List<String> src = Jsoup.parse(Files.readString(w.html())).select("img").eachAttr("src");
        assertEquals(w.plots().size(), json.get("plots").size());
        for (int i = 0; i < w.plots().size(); i++) {
            JsonNode entry = json.get("plots").get(i);
            assertEquals(entry.get("file").asText(), src.get(i));
            BufferedImage image = ImageIO.read(out.resolve(src.get(i)).toFile());
            assertNotNull(image, src.get(i));
            assertEquals(entry.get("width").asInt(), image.getWidth());
            assertEquals(entry.get("height").asInt(), image.getHeight());
        }
        assertEquals(400, json.get("tasks").get("VA").get("n_frames").asInt());
        assertEquals(8, json.get("tasks").get("EXPR").get("confusion_matrix").size());
        assertEquals("{}", Files.readString(out.resolve("metrics.json")), "other files are left alone");
        try (Stream<Path> files = Files.walk(out)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void aReportOfScoresAloneHasTablesAndNoFigures(@TempDir Path tmp) throws Exception {
        ReportData scores = ReportData.titled("VA only").withVa(new VaScores(3, 0.1, 0.2, 0.15));
        ReportWriter.Written w = ReportWriter.write(scores, tmp);
        assertEquals(List.of(), w.plots());
        assertTrue(Files.readString(w.html()).contains("0.1500"));
    }

    @Test
    void nothingToReportIsAnError(@TempDir Path tmp) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ReportWriter.write(ReportData.titled("empty").withContext("split", "validation"), tmp));
        assertTrue(e.getMessage().contains("nothing to report"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve(ReportWriter.HTML)));
    }
}
