package dev.affect.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The curves of a training run, in the order they were given; empty when there is no history. */
public record TrainingHistory(List<TrainingSeries> series) {
    public static final TrainingHistory NONE = new TrainingHistory(List.of());

    public TrainingHistory {
        series = List.copyOf(series);
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }

    /** The curves grouped by x unit, units in first-seen order: one chart each. */
    public Map<String, List<TrainingSeries>> byXUnit() {
        Map<String, List<TrainingSeries>> groups = new LinkedHashMap<>();
        for (TrainingSeries s : series) {
            groups.computeIfAbsent(s.x(), k -> new java.util.ArrayList<>()).add(s);
        }
        return groups;
    }
}
