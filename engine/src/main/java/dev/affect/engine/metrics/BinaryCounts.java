package dev.affect.engine.metrics;

/**
 * The counts of one binary decision (a class against the rest, or one AU) and the scores sklearn
 * derives from them with zero_division=0: every 0/0 is 0, so F1 is 0 whenever tp is 0.
 */
public record BinaryCounts(long tp, long fp, long fn) {

    /** {@code tp/(tp+fp)}, 0 when nothing was predicted positive. */
    public double precision() {
        return tp + fp == 0 ? 0.0 : (double) tp / (double) (tp + fp);
    }

    /** {@code tp/(tp+fn)}, 0 when nothing is positive. */
    public double recall() {
        return tp + fn == 0 ? 0.0 : (double) tp / (double) (tp + fn);
    }

    /** {@code 2PR/(P+R)} as sklearn evaluates it (not {@code 2tp/(2tp+fp+fn)}, which can differ by an ulp). */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }
}
