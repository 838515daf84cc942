package dev.affect.engine.metrics;

import dev.affect.engine.InvalidInputException;

/**
 * Concordance correlation coefficient {@code 2*cov(p,t) / (var(p) + var(t) + (mean(p) - mean(t))^2)}
 * with population (1/N) moments, in float64, no epsilon: constant equal inputs give NaN (0/0).
 */
public final class Ccc {
    private Ccc() {
    }

    public static double of(double[] pred, double[] truth) {
        int n = checkLengths(pred.length, truth.length);
        double meanP = 0;
        double meanT = 0;
        for (int i = 0; i < n; i++) {
            meanP += pred[i];
            meanT += truth[i];
        }
        meanP /= n;
        meanT /= n;
        double varP = 0;
        double varT = 0;
        double cov = 0;
        for (int i = 0; i < n; i++) {
            double dp = pred[i] - meanP;
            double dt = truth[i] - meanT;
            varP += dp * dp;
            varT += dt * dt;
            cov += dp * dt;
        }
        varP /= n;
        varT /= n;
        cov /= n;
        double dm = meanP - meanT;
        return 2 * cov / (varP + varT + dm * dm);
    }

    /** As {@link #of(double[], double[])}, widening each float32 value to float64 first. */
    public static double of(float[] pred, float[] truth) {
        return of(widen(pred), widen(truth));
    }

    static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static int checkLengths(int pred, int truth) {
        if (pred != truth) {
            throw new InvalidInputException("predictions", pred + " values for " + truth + " ground-truth values");
        }
        if (pred == 0) {
            throw new InvalidInputException("predictions", "no frames to score");
        }
        return pred;
    }
}
