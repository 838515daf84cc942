package dev.affect.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Task scores in the JSON layout of {@code affect score --json} (keys {@code n_frames}, {@code ccc_valence},
 * {@code f1_macro}, {@code per_class_f1}, {@code thresholds}, ...; maps keyed by class or AU name). Reads
 * the three files that use it: one task's {@code score --json} output (a {@code "task"} key), the
 * {@code metrics.json} of {@code affect evaluate} and a {@code report.json} (a {@code "tasks"} object
 * keyed VA, EXPR, AU); their other top-level strings and numbers become the report's context.
 */
public final class ScoresJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoresJson() {
    }

    public static ReportData read(Path file, String title) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "no such file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file.toString(), "not JSON: " + e.getOriginalMessage());
        }
        return parse(file.toString(), root, title);
    }

    public static ReportData parse(String where, JsonNode root, String title) {
        if (root == null || !root.isObject() || !(root.path("tasks").isObject() || root.path("task").isTextual())) {
            throw new InvalidInputException(where, "expected scores: a \"tasks\" object (affect evaluate's metrics.json) "
                    + "or a \"task\" field (affect score --json)");
        }
        ReportData data = ReportData.titled(root.path("title").isTextual() ? root.get("title").asText() : title);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !e.getKey().equals("title") && !e.getKey().equals("task")) {
                data = data.withContext(e.getKey(), e.getValue().asText());
            }
        }
        if (root.path("context").isObject()) {
            for (Map.Entry<String, JsonNode> e : root.get("context").properties()) {
                data = data.withContext(e.getKey(), e.getValue().asText());
            }
        }
        if (root.path("task").isTextual()) {
            return withTask(data, where, root.get("task").asText(), root);
        }
        for (Map.Entry<String, JsonNode> e : root.get("tasks").properties()) {
            data = withTask(data, where + ": tasks." + e.getKey(), e.getKey(), e.getValue());
        }
        if (root.path("history").isObject()) {
            data = data.withHistory(HistoryJson.parse(where + ": history", root.get("history")));
        }
        return data;
    }

    private static ReportData withTask(ReportData data, String where, String task, JsonNode scores) {
        Task t;
        try {
            t = Task.valueOf(task);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where, "unknown task '" + task + "' (VA, EXPR or AU)");
        }
        Fields f = new Fields(where, scores);
        return switch (t) {
            case VA -> data.withVa(new VaScores(f.count("n_frames"), f.number("ccc_valence"), f.number("ccc_arousal"),
                    f.number("p_va")));
            case EXPR -> data.withExpr(new ExprScores(f.count("n_frames"), f.number("f1_macro"), f.number("accuracy"),
                    t.labels(), f.named("per_class_f1", t.labels()), f.matrix("confusion_matrix", t.outputSize())));
            case AU -> data.withAu(new AuScores(f.count("n_frames"), t.labels(), f.number("f1_mean"),
                    f.named("f1_per_au", t.labels()), f.number("f1_mean_optimized"), f.named("thresholds", t.labels()),
                    f.named("f1_per_au_optimized", t.labels())));
        };
    }

    /** One task's object, read field by field with errors that name the field. */
    private record Fields(String where, JsonNode node) {
        int count(String key) {
            JsonNode v = node.get(key);
            if (v == null || !v.canConvertToInt() || v.asInt() < 0) {
                throw new InvalidInputException(where + "." + key, "expected a frame count, got " + v);
            }
            return v.asInt();
        }

        double number(String key) {
            return value(key, node.get(key));
        }

        /** A number or, as Jackson writes a non-finite double, the string "NaN" / "Infinity". */
        private double value(String key, JsonNode v) {
            if (v != null && v.isNumber()) {
                return v.asDouble();
            }
            if (v != null && v.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(v.asText())) {
                return Double.parseDouble(v.asText());
            }
            throw new InvalidInputException(where + "." + key, "expected a number, got " + v);
        }

        double[] named(String key, List<String> names) {
            JsonNode map = node.get(key);
            if (map == null || !map.isObject()) {
                throw new InvalidInputException(where + "." + key, "expected an object keyed by " + String.join(", ", names));
            }
            double[] values = new double[names.size()];
            for (int i = 0; i < names.size(); i++) {
                values[i] = value(key + "." + names.get(i), map.get(names.get(i)));
            }
            return values;
        }

        /** Absent is fine (older metrics.json files have no matrix); malformed is not. */
        Optional<long[][]> matrix(String key, int n) {
            JsonNode m = node.get(key);
            if (m == null || m.isNull()) {
                return Optional.empty();
            }
            if (!m.isArray() || m.size() != n) {
                throw new InvalidInputException(where + "." + key, "expected " + n + " rows of " + n + " counts");
            }
            long[][] cm = new long[n][n];
            for (int r = 0; r < n; r++) {
                JsonNode row = m.get(r);
                if (!row.isArray() || row.size() != n) {
                    throw new InvalidInputException(where + "." + key + "[" + r + "]", "expected " + n + " counts");
                }
                for (int c = 0; c < n; c++) {
                    if (!row.get(c).canConvertToLong()) {
                        throw new InvalidInputException(where + "." + key + "[" + r + "][" + c + "]",
                                "expected a count, got " + row.get(c));
                    }
                    cm[r][c] = row.get(c).asLong();
                }
            }
            return Optional.of(cm);
        }
    }

    /** The {@code "tasks"} object of a report: each present task in the {@code score --json} layout. */
    public static ObjectNode tasks(ReportData data) {
        ObjectNode tasks = JSON.createObjectNode();
        data.va().ifPresent(v -> tasks.putObject("VA").put("n_frames", v.nFrames()).put("ccc_valence", v.cccValence())
                .put("ccc_arousal", v.cccArousal()).put("p_va", v.pVa()));
        data.expr().ifPresent(e -> {
            ObjectNode node = tasks.putObject("EXPR").put("n_frames", e.nFrames()).put("f1_macro", e.f1Macro())
                    .put("accuracy", e.accuracy());
            named(node.putObject("per_class_f1"), e.classes(), e.perClassF1());
            e.confusionMatrix().ifPresent(cm -> node.set("confusion_matrix", JSON.valueToTree(cm)));
        });
        data.au().ifPresent(a -> {
            ObjectNode node = tasks.putObject("AU").put("n_frames", a.nFrames()).put("f1_mean", a.f1Mean())
                    .put("f1_mean_optimized", a.f1MeanOptimized());
            named(node.putObject("thresholds"), a.aus(), a.thresholds());
            named(node.putObject("f1_per_au"), a.aus(), a.f1PerAu());
            named(node.putObject("f1_per_au_optimized"), a.aus(), a.f1PerAuOptimized());
        });
        return tasks;
    }

    private static void named(ObjectNode node, List<String> names, double[] values) {
        for (int i = 0; i < names.size(); i++) {
            node.put(names.get(i), values[i]);
        }
    }
}
