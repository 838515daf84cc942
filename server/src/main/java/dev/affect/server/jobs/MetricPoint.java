package dev.affect.server.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One measured value, as MLflow and TensorBoard record them: key, value, the job's step, when. */
public record MetricPoint(String key, double value, long step, long timestampMs) {
    public MetricPoint {
        Objects.requireNonNull(key, "key");
    }

    /** One point per entry, in the map's order, all at {@code step} and {@code timestampMs}. */
    public static List<MetricPoint> of(Map<String, Double> values, long step, long timestampMs) {
        List<MetricPoint> out = new ArrayList<>(values.size());
        values.forEach((k, v) -> out.add(new MetricPoint(k, v, step, timestampMs)));
        return List.copyOf(out);
    }
}
