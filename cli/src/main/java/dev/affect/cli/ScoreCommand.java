package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.metrics.AuMetrics;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.metrics.VaMetrics;
import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Scores per-video prediction files against ABAW annotation files (one {@code <video>.txt} each,
 * the task's header line, then one line per frame). Frames whose annotation is the invalid marker
 * (VA: either value -5, EXPR: -1, AU: any -1) are skipped; the rest of the set is scored as one
 * (ABAW metrics are over all frames, not per video). Predictions use the same header and layout;
 * AU predictions may be probabilities in [0,1] (then also scored with a per-AU threshold search).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score per-video prediction files against ABAW annotation files (CCC/P_VA, macro F1, AU F1).")
final class ScoreCommand implements Callable<Integer> {
    /** The annotation header of each task, as the ABAW reader defines it. */
    static final Map<Task, String> HEADERS = Map.of(
            Task.VA, AbawTask.VA.header(), Task.EXPR, AbawTask.EXPR.header(), Task.AU, AbawTask.AU.header());

    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, description = "VA, EXPR or AU.")
    Task task;

    @Option(names = "--predictions", required = true, description = "Folder with one <video>.txt per annotated video.")
    Path predictions;

    @Option(names = "--annotations", required = true, description = "Folder of ABAW annotation files <video>.txt.")
    Path annotations;

    @Option(names = "--json", description = "Print the scores as JSON instead of a table.")
    boolean json;

    /** The valid frames of a whole set: ground truth and prediction values, row-major. */
    private record Frames(List<double[]> truth, List<double[]> pred, int videos) {
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(annotations)) {
            throw new InvalidInputException("--annotations", "not a folder: " + annotations);
        }
        if (!Files.isDirectory(predictions)) {
            throw new InvalidInputException("--predictions", "not a folder: " + predictions);
        }
        Frames frames = read();
        if (frames.truth().isEmpty()) {
            throw new InvalidInputException("--annotations", "no valid annotated frame in " + annotations);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("task", task.name());
        result.put("videos", frames.videos());
        result.put("n_frames", frames.truth().size());
        switch (task) {
            case VA -> {
                VaMetrics m = VaMetrics.ofRows(flat(frames.pred()), flat(frames.truth()));
                result.put("ccc_valence", m.cccValence());
                result.put("ccc_arousal", m.cccArousal());
                result.put("p_va", m.pVa());
            }
            case EXPR -> {
                ExprMetrics m = ExprMetrics.of(longs(frames.pred()), longs(frames.truth()));
                result.put("f1_macro", m.f1Macro());
                result.put("accuracy", m.accuracy());
                result.put("per_class_f1", named(task.labels(), m.perClassF1()));
                result.put("confusion_matrix", m.confusionMatrix());
            }
            case AU -> {
                AuMetrics m = AuMetrics.of(flat(frames.pred()), longs(frames.truth()), task.outputSize());
                result.put("f1_mean", m.f1Mean());
                result.put("f1_mean_optimized", m.f1MeanOptimized());
                result.put("thresholds", named(task.labels(), m.bestThresholds()));
                result.put("f1_per_au", named(task.labels(), m.f1PerAu()));
                result.put("f1_per_au_optimized", named(task.labels(), m.f1PerAuOptimized()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            table(out, result);
        }
        return 0;
    }

    private Frames read() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(annotations, "*.txt")) {
            dir.forEach(files::add);
        }
        files.sort(null);
        if (files.isEmpty()) {
            throw new InvalidInputException("--annotations", "no <video>.txt annotation file in " + annotations);
        }
        List<double[]> truth = new ArrayList<>();
        List<double[]> pred = new ArrayList<>();
        for (Path annotationFile : files) {
            Path predictionFile = predictions.resolve(annotationFile.getFileName().toString());
            if (!Files.isRegularFile(predictionFile)) {
                throw new InvalidInputException(predictionFile.toString(), "missing: no predictions for annotated video "
                        + annotationFile);
            }
            List<String> a = lines(annotationFile);
            List<String> p = lines(predictionFile);
            if (a.size() != p.size()) {
                Path shorter = a.size() < p.size() ? annotationFile : predictionFile;
                throw new InvalidInputException(shorter + ":" + (Math.min(a.size(), p.size()) + 1),
                        "ends here: " + (p.size() - 1) + " prediction lines for " + (a.size() - 1) + " annotated frames ("
                                + annotationFile + ")");
            }
            for (int i = 1; i < a.size(); i++) {
                double[] t = parse(annotationFile, i, a.get(i), true);
                double[] v = parse(predictionFile, i, p.get(i), false);
                if (!invalid(t)) {
                    truth.add(t);
                    pred.add(v);
                }
            }
        }
        return new Frames(truth, pred, files.size());
    }

    /** The file's lines (trailing blank lines dropped) after checking its header line. */
    private List<String> lines(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        String expected = HEADERS.get(task);
        if (lines.isEmpty() || !lines.getFirst().strip().equals(expected)) {
            throw new InvalidInputException(file + ":1", "expected the " + task + " header '" + expected + "', got '"
                    + (lines.isEmpty() ? "" : lines.getFirst().strip()) + "'");
        }
        return lines;
    }

    /** One frame line (line index i, 0 = header); annotations may hold the invalid marker. */
    private double[] parse(Path file, int i, String line, boolean annotation) {
        String where = file + ":" + (i + 1);
        String[] parts = line.strip().split(",", -1);
        int width = task == Task.EXPR ? 1 : task.outputSize();
        if (parts.length != width) {
            throw new InvalidInputException(where, "expected " + width + " comma-separated value" + (width == 1 ? "" : "s")
                    + ", got '" + line.strip() + "'");
        }
        double[] v = new double[width];
        for (int k = 0; k < width; k++) {
            String s = parts[k].strip();
            try {
                v[k] = task == Task.VA || (task == Task.AU && !annotation) ? Double.parseDouble(s) : Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(where, "not a " + (task == Task.VA || !annotation && task == Task.AU
                        ? "number" : "integer") + ": '" + s + "'");
            }
            check(where, s, v[k], annotation);
        }
        return v;
    }

    private void check(String where, String s, double v, boolean annotation) {
        boolean ok = switch (task) {
            case VA -> Double.isFinite(v) && (annotation ? v == -5 || Math.abs(v) <= 1 : true);
            case EXPR -> v >= 0 && v <= 7 || annotation && v == -1;
            case AU -> annotation ? v == 0 || v == 1 || v == -1 : v >= 0 && v <= 1;
        };
        if (!ok) {
            String range = switch (task) {
                case VA -> annotation ? "a value in [-1,1] or -5" : "a finite number";
                case EXPR -> annotation ? "a class 0..7 or -1" : "a class 0..7";
                case AU -> annotation ? "0, 1 or -1" : "a probability in [0,1]";
            };
            throw new InvalidInputException(where, "'" + s + "' is not " + range);
        }
    }

    private boolean invalid(double[] annotation) {
        double marker = task == Task.VA ? -5 : -1;
        for (double v : annotation) {
            if (v == marker) {
                return true;
            }
        }
        return false;
    }

    private static double[] flat(List<double[]> rows) {
        int w = rows.getFirst().length;
        double[] d = new double[rows.size() * w];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, d, i * w, w);
        }
        return d;
    }

    private static long[] longs(List<double[]> rows) {
        double[] d = flat(rows);
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }

    private static Map<String, Double> named(List<String> labels, double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            m.put(labels.get(k), values[k]);
        }
        return m;
    }

    private static void table(PrintWriter out, Map<String, Object> result) {
        for (Map.Entry<String, Object> e : result.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                out.println(e.getKey() + ":");
                m.forEach((k, v) -> out.printf("  %-10s %s%n", k, format(v)));
            } else if (e.getValue() instanceof long[][] rows) {
                out.println(e.getKey() + ":");
                for (long[] row : rows) {
                    out.println("  " + java.util.Arrays.toString(row));
                }
            } else {
                out.printf("%-18s %s%n", e.getKey(), format(e.getValue()));
            }
        }
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.4f", d) : String.valueOf(v);
    }
}
