package dev.affect.server.stream;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import dev.affect.server.pipeline.ServedPipeline;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A session's options with defaults filled in.
 *
 * @param tasks the tasks its results carry, in task order
 * @param auThreshold the threshold of every AU without its own
 * @param auThresholds one threshold per AU, in {@link Task#AU} label order
 * @param smoothingWindow frames averaged per reported value (1 = off)
 */
public record SessionSettings(List<Task> tasks, float auThreshold, float[] auThresholds, int smoothingWindow) {
    public static final int MAX_SMOOTHING_WINDOW = 300;

    /**
     * Validates a client's options against the pipeline.
     *
     * @param requested the tasks asked for; empty = every task the pipeline has a head for
     * @throws InvalidInputException naming the option
     */
    public static SessionSettings of(ServedPipeline pipeline, List<Task> requested, float auThreshold,
            Map<String, Float> perAu, int smoothingWindow) {
        List<Task> tasks = tasks(pipeline, requested, "open.tasks");
        if (!(auThreshold >= 0 && auThreshold < 1)) {
            throw new InvalidInputException("open.options.au_threshold", "must be in (0, 1) or 0 for 0.5, got " + auThreshold);
        }
        float base = auThreshold == 0 ? 0.5f : auThreshold;
        List<String> labels = Task.AU.labels();
        float[] thresholds = new float[labels.size()];
        java.util.Arrays.fill(thresholds, base);
        for (Map.Entry<String, Float> e : perAu.entrySet()) {
            int k = labels.indexOf(e.getKey());
            if (k < 0) {
                throw new InvalidInputException("open.options.au_thresholds", "unknown AU '" + e.getKey() + "'; AUs: " + labels);
            }
            float v = e.getValue();
            if (!(v > 0 && v < 1)) {
                throw new InvalidInputException("open.options.au_thresholds[" + e.getKey() + "]", "must be in (0, 1), got " + v);
            }
            thresholds[k] = v;
        }
        if (smoothingWindow < 0 || smoothingWindow > MAX_SMOOTHING_WINDOW) {
            throw new InvalidInputException("open.options.smoothing_window", "must be in 0.." + MAX_SMOOTHING_WINDOW
                    + ", got " + smoothingWindow);
        }
        return new SessionSettings(tasks, base, thresholds, Math.max(1, smoothingWindow));
    }

    /**
     * The tasks to answer: {@code requested} in task order, or every task the pipeline has a head for.
     *
     * @throws InvalidInputException naming {@code field} for a task without a head
     */
    public static List<Task> tasks(ServedPipeline pipeline, List<Task> requested, String field) {
        if (requested.isEmpty()) {
            return pipeline.tasks();
        }
        LinkedHashSet<Task> set = new LinkedHashSet<>();
        for (Task t : requested) {
            if (!pipeline.heads().containsKey(t)) {
                throw new InvalidInputException(field, "pipeline '" + pipeline.name() + "' has no " + t + " head; it has "
                        + pipeline.tasks());
            }
            set.add(t);
        }
        List<Task> ordered = new ArrayList<>(set);
        ordered.sort(null);
        return List.copyOf(ordered);
    }
}
