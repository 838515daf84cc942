package dev.affect.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code history.json}, the file a training run writes for its curves:
 * <pre>{@code
 * {"series": [
 *   {"name": "train loss",       "x": "step",  "points": [[1, 2.08], [2, 1.97], ...]},
 *   {"name": "validation P_VA",  "x": "epoch", "points": [[1, 0.21], [2, 0.29]]}
 * ]}
 * }</pre>
 * Each point is {@code [x, y]}; x must be a finite number, y may also be NaN or null (written by a
 * diverged run; charts skip it). Series sharing an {@code x} unit are drawn in one chart.
 */
public final class HistoryJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private HistoryJson() {
    }

    public static TrainingHistory read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "no such file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file.toString(), "not JSON: " + e.getOriginalMessage());
        }
        return parse(file.toString(), root);
    }

    /** Parses the tree; {@code where} names the source in error messages. */
    public static TrainingHistory parse(String where, JsonNode root) {
        if (root == null || !root.path("series").isArray()) {
            throw new InvalidInputException(where, "expected an object with a \"series\" array");
        }
        List<TrainingSeries> series = new ArrayList<>();
        int k = 0;
        for (JsonNode s : root.get("series")) {
            String at = where + ": series " + k++;
            if (!s.path("name").isTextual() || !s.path("x").isTextual() || !s.path("points").isArray()) {
                throw new InvalidInputException(at, "needs \"name\" and \"x\" strings and a \"points\" array");
            }
            JsonNode points = s.get("points");
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                JsonNode p = points.get(i);
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !(p.get(1).isNumber() || p.get(1).isNull())) {
                    throw new InvalidInputException(at + ", point " + i, "expected [x, y] numbers, got " + p);
                }
                xs[i] = p.get(0).asDouble();
                ys[i] = p.get(1).isNull() ? Double.NaN : p.get(1).asDouble();
            }
            series.add(new TrainingSeries(s.get("name").asText(), s.get("x").asText(), xs, ys));
        }
        return new TrainingHistory(series);
    }

    /** The tree {@link #parse} reads; NaN y values become null, which plain JSON readers accept. */
    public static ObjectNode tree(TrainingHistory history) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode all = root.putArray("series");
        for (TrainingSeries s : history.series()) {
            ObjectNode node = all.addObject().put("name", s.name()).put("x", s.x());
            ArrayNode points = node.putArray("points");
            for (int i = 0; i < s.size(); i++) {
                ArrayNode p = points.addArray().add(s.xs()[i]);
                if (Double.isFinite(s.ys()[i])) {
                    p.add(s.ys()[i]);
                } else {
                    p.addNull();
                }
            }
        }
        return root;
    }

    public static void write(TrainingHistory history, Path file) throws IOException {
        AtomicFiles.write(file, (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree(history)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
