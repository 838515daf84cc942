package dev.affect.engine.model;

/** Numerically stable softmax of one row of logits (the maximum is subtracted first), in double. */
public final class Softmax {
    private Softmax() {
    }

    /** Class probabilities of logits[offset, offset + length). */
    public static double[] of(float[] logits, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < length; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double[] p = new double[length];
        double sum = 0;
        for (int k = 0; k < length; k++) {
            p[k] = Math.exp(logits[offset + k] - max);
            sum += p[k];
        }
        for (int k = 0; k < length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
