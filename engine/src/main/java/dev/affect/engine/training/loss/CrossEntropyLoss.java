package dev.affect.engine.training.loss;

/**
 * Cross-entropy on logits, mean over the valid frames (torch's {@code CrossEntropyLoss()}): per
 * frame {@code logsumexp(z) - z_label}; gradient {@code (softmax(z) - onehot(label)) / frames}.
 */
public final class CrossEntropyLoss {
    private CrossEntropyLoss() {
    }

    /**
     * @param logits [frames, classes]
     * @param labels one class index per frame, in [0, classes) on valid frames (anything on the others)
     */
    public static LossValue compute(float[] logits, long[] labels, int classes, FrameMask mask) {
        int frames = Rows.of(logits, classes, "cross-entropy logits");
        if (labels.length != frames) {
            throw new IllegalArgumentException("cross-entropy: " + frames + " frames of logits, " + labels.length + " labels");
        }
        mask.requireSize(frames, "cross-entropy logits");
        float[] grad = new float[logits.length];
        int n = mask.count();
        if (n == 0) {
            return new LossValue(0, grad, 0);
        }
        double total = 0;
        double[] prob = new double[classes];
        for (int i = 0; i < frames; i++) {
            if (!mask.isValid(i)) {
                continue;
            }
            long y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("cross-entropy: label " + y + " of frame " + i + " is not a class in [0, "
                        + classes + ") (mask invalid frames out)");
            }
            double logSumExp = softmax(logits, i * classes, classes, prob);
            total += logSumExp - logits[i * classes + (int) y];
            for (int k = 0; k < classes; k++) {
                grad[i * classes + k] = (float) ((prob[k] - (k == y ? 1 : 0)) / n);
            }
        }
        return new LossValue(total / n, grad, n);
    }

    /** Softmax of one row into {@code prob}; returns the row's log-sum-exp. */
    static double softmax(float[] z, int offset, int width, double[] prob) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < width; k++) {
            max = Math.max(max, z[offset + k]);
        }
        double sum = 0;
        for (int k = 0; k < width; k++) {
            prob[k] = Math.exp(z[offset + k] - max);
            sum += prob[k];
        }
        for (int k = 0; k < width; k++) {
            prob[k] /= sum;
        }
        return max + Math.log(sum);
    }
}
