package dev.affect.engine.evaluation;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.metrics.AuMetrics;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.metrics.VaMetrics;
import dev.affect.engine.model.heads.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects one task's (label, prediction) pairs over a set and scores them as the challenge does:
 * frames whose label carries the invalid marker are left out, the rest scored together (not per
 * video). A prediction is the head's activated row: EXPR scores its argmax (the first on ties), AU
 * its probabilities clamped to [0, 1] — what {@code affect evaluate} writes to its files.
 */
public final class TaskScorer {
    private final Task task;
    private final AbawTask labels;
    private double[] truth = new double[1024];
    private double[] pred = new double[1024];
    private int rows;

    public TaskScorer(Task task) {
        this.task = task;
        this.labels = AbawTask.valueOf(task.name());
    }

    public Task task() {
        return task;
    }

    /** Frames added with a valid label so far. */
    public long frames() {
        return rows;
    }

    /**
     * Adds a frame; one whose label is invalid is skipped.
     *
     * @param label      the annotation's values (VA 2, EXPR 1, AU 12)
     * @param prediction the head's row (VA 2, EXPR 8 probabilities, AU 12 probabilities)
     * @return whether the frame was scored
     */
    public boolean add(float[] label, float[] prediction) {
        if (label.length != labels.fields()) {
            throw new InvalidInputException("label", task + " labels have " + labels.fields() + " values, got " + label.length);
        }
        if (prediction.length != task.outputSize()) {
            throw new IllegalArgumentException(task + " predictions have " + task.outputSize() + " values, got "
                    + prediction.length);
        }
        if (labels.isInvalid(label)) {
            return false;
        }
        int width = task == Task.EXPR ? 1 : task.outputSize();
        ensure((rows + 1) * width);
        for (int k = 0; k < width; k++) {
            truth[rows * width + k] = label[k];
            pred[rows * width + k] = switch (task) {
                case VA -> prediction[k];
                case EXPR -> argmax(prediction);
                case AU -> Math.clamp(prediction[k], 0f, 1f);
            };
        }
        rows++;
        return true;
    }

    /** The metrics; {@link InvalidInputException} naming {@code label} when no frame had a valid label. */
    public TaskScore score() {
        if (rows == 0) {
            throw new InvalidInputException("label", "no frame with a valid " + task + " label to score");
        }
        int width = task == Task.EXPR ? 1 : task.outputSize();
        double[] t = java.util.Arrays.copyOf(truth, rows * width);
        double[] p = java.util.Arrays.copyOf(pred, rows * width);
        Map<String, Double> m = new LinkedHashMap<>();
        switch (task) {
            case VA -> {
                VaMetrics va = VaMetrics.ofRows(p, t);
                m.put("ccc_valence", va.cccValence());
                m.put("ccc_arousal", va.cccArousal());
                m.put("p_va", va.pVa());
            }
            case EXPR -> {
                ExprMetrics e = ExprMetrics.of(longs(p), longs(t));
                m.put("f1_macro", e.f1Macro());
                m.put("accuracy", e.accuracy());
            }
            case AU -> {
                AuMetrics au = AuMetrics.of(p, longs(t), task.outputSize());
                m.put("f1_mean", au.f1Mean());
                m.put("f1_mean_optimized", au.f1MeanOptimized());
            }
        }
        return new TaskScore(task, rows, m);
    }

    private void ensure(int size) {
        if (size > truth.length) {
            int n = Math.max(size, truth.length * 2);
            truth = java.util.Arrays.copyOf(truth, n);
            pred = java.util.Arrays.copyOf(pred, n);
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    private static long[] longs(double[] d) {
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }
}
