package dev.affect.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.AtomicFiles;
import dev.affect.report.plot.ChartImages;
import dev.affect.report.plot.Plot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a report into a folder: {@code plots/<name>.png}, {@code report.json} (the scores in
 * {@code affect score --json}'s layout, the context, the training history and the list of figures) and
 * {@code report.html}. Each file is written atomically, the page last, so a reader who finds the page
 * also finds every figure it names. Other files in the folder are left alone.
 */
public final class ReportWriter {
    public static final String HTML = "report.html";
    public static final String JSON_FILE = "report.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportWriter() {
    }

    /** What was written. */
    public record Written(Path html, Path json, List<Path> plots) {
        public Written {
            plots = List.copyOf(plots);
        }
    }

    public static Written write(ReportData data, Path folder) throws IOException {
        if (data.isEmpty()) {
            throw new InvalidInputException("report", "nothing to report: no task scores, VA values or training history");
        }
        ReportPlots plots = ReportPlots.of(data);
        Path plotFolder = folder.resolve(ReportPage.PLOTS_FOLDER);
        Files.createDirectories(plotFolder);
        List<Path> pngs = new ArrayList<>();
        for (Plot p : plots.all()) {
            Path file = plotFolder.resolve(p.fileName());
            AtomicFiles.write(file, ChartImages.png(p.image()));
            pngs.add(file);
        }
        Path json = folder.resolve(JSON_FILE);
        AtomicFiles.write(json, (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(data, plots)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        Path html = folder.resolve(HTML);
        AtomicFiles.write(html, ReportPage.html(data, plots).getBytes(StandardCharsets.UTF_8));
        return new Written(html, json, pngs);
    }

    /** report.json: readable back by {@link ScoresJson#read} (title, context, tasks, history). */
    static ObjectNode json(ReportData data, ReportPlots plots) {
        ObjectNode root = JSON.createObjectNode();
        root.put("title", data.title());
        ObjectNode context = root.putObject("context");
        data.context().forEach(context::put);
        root.set("tasks", ScoresJson.tasks(data));
        if (!data.history().isEmpty()) {
            root.set("history", HistoryJson.tree(data.history()));
        }
        ArrayNode figures = root.putArray("plots");
        for (Plot p : plots.all()) {
            figures.addObject().put("file", ReportPage.PLOTS_FOLDER + "/" + p.fileName()).put("title", p.title())
                    .put("alt", p.alt()).put("width", p.width()).put("height", p.height());
        }
        return root;
    }
}
