package dev.affect.engine.metrics;

import dev.affect.engine.InvalidInputException;

/** Valence/arousal scores over all frames of a set: each CCC and {@code P_VA = (ccc_v + ccc_a)/2}. */
public record VaMetrics(int nFrames, double cccValence, double cccArousal) {

    public double pVa() {
        return (cccValence + cccArousal) / 2;
    }

    public static VaMetrics of(double[] predValence, double[] predArousal, double[] trueValence, double[] trueArousal) {
        Ccc.checkLengths(predArousal.length, predValence.length);
        return new VaMetrics(predValence.length, Ccc.of(predValence, trueValence), Ccc.of(predArousal, trueArousal));
    }

    /** From (N,2) row-major arrays, column 0 valence, column 1 arousal (an .npy of shape (N,2)). */
    public static VaMetrics ofRows(double[] pred, double[] truth) {
        Ccc.checkLengths(pred.length, truth.length);
        if (pred.length % 2 != 0) {
            throw new InvalidInputException("predictions", "(N,2) rows expected, got " + pred.length + " values");
        }
        int n = pred.length / 2;
        double[][] c = new double[4][n];
        for (int i = 0; i < n; i++) {
            c[0][i] = pred[2 * i];
            c[1][i] = pred[2 * i + 1];
            c[2][i] = truth[2 * i];
            c[3][i] = truth[2 * i + 1];
        }
        return of(c[0], c[1], c[2], c[3]);
    }

    /** As {@link #ofRows(double[], double[])} for float32 arrays, widened to float64. */
    public static VaMetrics ofRows(float[] pred, float[] truth) {
        return ofRows(Ccc.widen(pred), Ccc.widen(truth));
    }
}
