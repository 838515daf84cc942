package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import java.util.Arrays;
import java.util.Locale;

/**
 * A number a run reports each epoch, by which it can keep its best checkpoints: validation scores
 * of one task (engine.metrics, the challenge's definitions) or the mean training loss of the epoch.
 */
public enum Metric {
    P_VA(AbawTask.VA, true),
    CCC_V(AbawTask.VA, true),
    CCC_A(AbawTask.VA, true),
    F1_EXPR(AbawTask.EXPR, true),
    ACCURACY_EXPR(AbawTask.EXPR, true),
    /** Mean F1 of the 12 AUs at threshold 0.5. */
    F1_AU(AbawTask.AU, true),
    /** Mean F1 of the 12 AUs, each at its best threshold on the validation split. */
    F1_AU_OPTIMIZED(AbawTask.AU, true),
    /** The epoch's mean training loss; any task. */
    TRAIN_LOSS(null, false);

    private final AbawTask task;
    private final boolean higherIsBetter;

    Metric(AbawTask task, boolean higherIsBetter) {
        this.task = task;
        this.higherIsBetter = higherIsBetter;
    }

    /** The key in metric maps, JSON and tables: {@code p_va}, {@code f1_expr}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether a run of {@code t} reports this metric. */
    public boolean appliesTo(AbawTask t) {
        return task == null || task == t;
    }

    /** Whether {@code a} is strictly better than {@code b}; NaN is never better. */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return higherIsBetter ? a > b : a < b;
    }

    /** The challenge metric of a task: P_VA, F1_EXPR, F1_AU. */
    public static Metric defaultFor(AbawTask task) {
        return switch (task) {
            case VA -> P_VA;
            case EXPR -> F1_EXPR;
            case AU -> F1_AU;
        };
    }

    /** A key or name ({@code p_va}, {@code P_VA}), naming the field {@code metric} when unknown. */
    public static Metric parse(String s) {
        return Names.parse(Metric.class, "metric", s);
    }

    /** The metrics a run of {@code task} reports, validation scores first. */
    public static Metric[] of(AbawTask task) {
        return Arrays.stream(values()).filter(m -> m.appliesTo(task)).toArray(Metric[]::new);
    }

    static void requireFor(Metric m, AbawTask task) {
        if (!m.appliesTo(task)) {
            throw new InvalidInputException("metric", m.key() + " is not a " + task + " metric; " + task + " reports "
                    + Arrays.stream(of(task)).map(Metric::key).toList());
        }
    }
}
