package dev.affect.engine.training.loss;

/**
 * Binary cross-entropy on logits, mean over every element of the valid frames (torch's
 * {@code BCEWithLogitsLoss()}): {@code max(z,0) - z*y + log(1+exp(-|z|))}, gradient
 * {@code (sigmoid(z) - y) / elements}.
 */
public final class BceWithLogitsLoss {
    private BceWithLogitsLoss() {
    }

    /**
     * @param logits  [frames, columns]
     * @param targets [frames, columns] in [0, 1] on valid frames
     */
    public static LossValue compute(float[] logits, float[] targets, int columns, FrameMask mask) {
        Rows.sameLength(logits, targets, "BCE-with-logits");
        int frames = Rows.of(logits, columns, "BCE-with-logits logits");
        mask.requireSize(frames, "BCE-with-logits logits");
        float[] grad = new float[logits.length];
        int n = mask.count();
        if (n == 0) {
            return new LossValue(0, grad, 0);
        }
        double elements = (double) n * columns;
        double total = 0;
        for (int i = 0; i < frames; i++) {
            if (!mask.isValid(i)) {
                continue;
            }
            for (int k = i * columns; k < (i + 1) * columns; k++) {
                double z = logits[k];
                double y = targets[k];
                if (!(y >= 0 && y <= 1)) {
                    throw new IllegalArgumentException("BCE-with-logits: target " + y + " of frame " + i
                            + " is not in [0, 1] (mask invalid frames out)");
                }
                total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
                grad[k] = (float) ((sigmoid(z) - y) / elements);
            }
        }
        return new LossValue(total / elements, grad, n);
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
