package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.Curation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Applies the ABAW curation (drop invalid labels: VA -5, EXPR -1, AU -1; drop frames with no aligned
 * image) to an Aff-Wild2 release and prints the counts per task and split. A malformed annotation
 * line stops it with {@code <file>:<line>: <reason>} (exit 2): nothing is skipped silently.
 */
@Command(name = "curate", mixinStandardHelpOptions = true,
        description = "Count what ABAW curation keeps per task and split: videos, frames before and after, "
                + "dropped for an invalid label, dropped for a missing image.")
final class CurateCommand implements Callable<Integer> {
    static final List<String> COLUMNS = List.of("task", "split", "videos", "frames before", "frames after",
            "dropped invalid", "dropped no image");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROOT", description = "Release root: <task folder>/<Train_Set|Validation_Set>/"
            + "<video>.txt and cropped_aligned/<video>/NNNNN.jpg.")
    Path root;

    @Option(names = "--images", paramLabel = "DIR", description = "The aligned crops folder (default: ROOT/cropped_aligned).")
    Path images;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        AbawDataset dataset = AbawDataset.open(root, images != null ? images : root.resolve(AbawDataset.IMAGES));
        List<Curation.Summary> rows = Curation.summarize(dataset);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json(dataset, rows)));
        } else {
            out.print(table(rows));
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> json(AbawDataset dataset, List<Curation.Summary> rows) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("root", dataset.annotationRoot().toString());
        doc.put("images", dataset.imageRoot().toString());
        List<Map<String, Object>> splits = new ArrayList<>();
        for (Curation.Summary r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", r.task().name());
            m.put("split", r.split().label());
            m.put("videos", r.videos());
            m.put("frames_before", r.framesBefore());
            m.put("frames_after", r.framesAfter());
            m.put("dropped_invalid", r.droppedInvalid());
            m.put("dropped_no_image", r.droppedNoImage());
            splits.add(m);
        }
        doc.put("splits", splits);
        return doc;
    }

    /** Left-aligned text columns, right-aligned counts, one header line. */
    static String table(List<Curation.Summary> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(COLUMNS);
        for (Curation.Summary r : rows) {
            cells.add(List.of(r.task().name(), r.split().label(), String.valueOf(r.videos()), String.valueOf(r.framesBefore()),
                    String.valueOf(r.framesAfter()), String.valueOf(r.droppedInvalid()), String.valueOf(r.droppedNoImage())));
        }
        int[] width = new int[COLUMNS.size()];
        for (List<String> row : cells) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : cells) {
            for (int c = 0; c < width.length; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                sb.append(c == 0 ? "" : "  ").append(c < 2 ? cell + pad : pad + cell);
            }
            sb.append('\n');
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }
}
