package dev.affect.engine.evaluation;

import dev.affect.engine.model.heads.Task;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A task's challenge metrics over a whole set.
 *
 * @param frames  frames with a valid label, the ones scored
 * @param metrics VA {@code ccc_valence}, {@code ccc_arousal}, {@code p_va}; EXPR {@code f1_macro},
 *                {@code accuracy}; AU {@code f1_mean}, {@code f1_mean_optimized} (in that order)
 */
public record TaskScore(Task task, long frames, Map<String, Double> metrics) {
    public TaskScore {
        Objects.requireNonNull(task, "task");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
