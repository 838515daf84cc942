package dev.affect.engine.training.loss;

/**
 * The VA loss: {@code 1 - mean over columns of CCC(p, t)}, with p the tanh outputs, population (1/N)
 * moments over the valid frames and no epsilon (fixtures/training README, "VA loss"). Its gradient
 * with respect to p is the README's {@code dL/dp_n = -(1/C) * (2/(N*D)) * ((t_n - mean_t) - ccc*(p_n - mean_t))};
 * the chain through tanh belongs to the graph's backward pass.
 */
public final class CccLoss {
    private CccLoss() {
    }

    /**
     * @param predictions [frames, columns] values after tanh
     * @param targets     [frames, columns], read only on valid frames
     * @param columns     2 for valence and arousal
     */
    public static LossValue compute(float[] predictions, float[] targets, int columns, FrameMask mask) {
        Rows.sameLength(predictions, targets, "CCC loss");
        int frames = Rows.of(predictions, columns, "CCC loss predictions");
        mask.requireSize(frames, "CCC loss predictions");
        float[] grad = new float[predictions.length];
        int n = mask.count();
        if (n == 0) {
            return new LossValue(0, grad, 0);
        }
        double cccSum = 0;
        for (int c = 0; c < columns; c++) {
            cccSum += column(predictions, targets, columns, c, mask, grad);
        }
        return new LossValue(1 - cccSum / columns, grad, n);
    }

    /** CCC of one column; adds its share of the loss gradient into {@code grad}. */
    private static double column(float[] p, float[] t, int columns, int c, FrameMask mask, float[] grad) {
        int n = mask.count();
        double sumP = 0;
        double sumT = 0;
        for (int i = 0; i < mask.size(); i++) {
            if (mask.isValid(i)) {
                sumP += p[i * columns + c];
                sumT += t[i * columns + c];
            }
        }
        double meanP = sumP / n;
        double meanT = sumT / n;
        double varP = 0;
        double varT = 0;
        double cov = 0;
        for (int i = 0; i < mask.size(); i++) {
            if (mask.isValid(i)) {
                double dp = p[i * columns + c] - meanP;
                double dt = t[i * columns + c] - meanT;
                varP += dp * dp;
                varT += dt * dt;
                cov += dp * dt;
            }
        }
        varP /= n;
        varT /= n;
        cov /= n;
        double d = varP + varT + (meanP - meanT) * (meanP - meanT);
        double ccc = 2 * cov / d;
        double scale = -(1.0 / columns) * 2 / (n * d);
        for (int i = 0; i < mask.size(); i++) {
            if (mask.isValid(i)) {
                int k = i * columns + c;
                grad[k] = (float) (scale * ((t[k] - meanT) - ccc * (p[k] - meanT)));
            }
        }
        return ccc;
    }
}
