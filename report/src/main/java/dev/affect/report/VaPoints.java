package dev.affect.report;

import dev.affect.engine.InvalidInputException;

/**
 * Per-frame valence and arousal of a set, predicted and annotated (invalid frames already dropped);
 * index i is one frame in all four arrays.
 */
public record VaPoints(float[] predValence, float[] predArousal, float[] trueValence, float[] trueArousal) {
    public VaPoints {
        int n = predValence.length;
        if (predArousal.length != n || trueValence.length != n || trueArousal.length != n) {
            throw new InvalidInputException("va points", "predicted valence/arousal and true valence/arousal differ in "
                    + "length: " + n + ", " + predArousal.length + ", " + trueValence.length + ", " + trueArousal.length);
        }
    }

    /** From (N,2) row-major arrays, column 0 valence, column 1 arousal. */
    public static VaPoints ofRows(float[] pred, float[] truth) {
        if (pred.length != truth.length || pred.length % 2 != 0) {
            throw new InvalidInputException("va points", "(N,2) rows expected for both, got " + pred.length + " and "
                    + truth.length + " values");
        }
        int n = pred.length / 2;
        float[][] c = new float[4][n];
        for (int i = 0; i < n; i++) {
            c[0][i] = pred[2 * i];
            c[1][i] = pred[2 * i + 1];
            c[2][i] = truth[2 * i];
            c[3][i] = truth[2 * i + 1];
        }
        return new VaPoints(c[0], c[1], c[2], c[3]);
    }

    public int size() {
        return predValence.length;
    }

    /** At most {@code max} frames, as {@link Subsample#indices} draws them (the same seed, the same frames). */
    public VaPoints subsample(int max, long seed) {
        int[] keep = Subsample.indices(size(), max, seed);
        if (keep.length == size()) {
            return this;
        }
        float[][] c = new float[4][keep.length];
        for (int i = 0; i < keep.length; i++) {
            c[0][i] = predValence[keep[i]];
            c[1][i] = predArousal[keep[i]];
            c[2][i] = trueValence[keep[i]];
            c[3][i] = trueArousal[keep[i]];
        }
        return new VaPoints(c[0], c[1], c[2], c[3]);
    }
}
