package dev.affect.engine.training.loss;

/**
 * The paper's image-text contrastive loss (eq. 1-3) over cosine similarities
 * {@code s_ij = cos(I_i, T_j) / temperature} of the valid samples: the mean of the image-side and
 * text-side cross-entropies, against the identity (hard) or against
 * {@code M_ij = 1[y_i == y_j] / #{k: y_k == y_i}} (soft). Text embeddings are frozen: the gradient is
 * with respect to the image side only, {@code dL/dI_i = (sum_j G_ij T^_j - (sum_j G_ij s_ij) I^_i) / |I_i|}.
 */
public final class ContrastiveLoss {

    /** Which targets the similarities are pulled towards. */
    public enum Targets {
        /** Sample i matches text i only (one-hot), even where another sample has the same label. */
        HARD,
        /** Sample i matches every text of its label, equally. */
        SOFT
    }

    private final Targets targets;
    private final double temperature;

    public ContrastiveLoss(Targets targets, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("contrastive temperature must be > 0, got " + temperature);
        }
        this.targets = targets;
        this.temperature = temperature;
    }

    /**
     * @param image  [samples, width] projected image embeddings (trainable side)
     * @param text   [samples, width] each sample's text embedding (frozen)
     * @param labels each sample's class (used by {@link Targets#SOFT})
     */
    public LossValue compute(float[] image, float[] text, long[] labels, int width, FrameMask mask) {
        Rows.sameLength(image, text, "contrastive loss");
        int samples = Rows.of(image, width, "contrastive image embeddings");
        if (labels.length != samples) {
            throw new IllegalArgumentException("contrastive loss: " + samples + " samples, " + labels.length + " labels");
        }
        mask.requireSize(samples, "contrastive image embeddings");
        float[] grad = new float[image.length];
        int n = mask.count();
        if (n == 0) {
            return new LossValue(0, grad, 0);
        }
        int[] index = validIndices(mask);
        double[][] a = new double[n][];
        double[][] b = new double[n][];
        double[] normA = new double[n];
        for (int i = 0; i < n; i++) {
            normA[i] = norm(image, index[i] * width, width);
            a[i] = unit(image, index[i] * width, width, normA[i]);
            b[i] = unit(text, index[i] * width, width, norm(text, index[i] * width, width));
        }
        double[][] cos = new double[n][n];
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cos[i][j] = dot(a[i], b[j]);
                s[i][j] = cos[i][j] / temperature;
            }
        }
        double[][] m = targetMatrix(labels, index);
        double[][] rowProb = new double[n][n];
        double[][] colProb = new double[n][n];
        double lossImage = crossEntropy(s, m, rowProb, false);
        double lossText = crossEntropy(s, m, colProb, true);
        // G = dL/ds; M's rows and columns sum to 1, so each side's term is softmax - M.
        for (int i = 0; i < n; i++) {
            double along = 0;
            double[] g = new double[n];
            for (int j = 0; j < n; j++) {
                g[j] = ((rowProb[i][j] - m[i][j]) + (colProb[i][j] - m[i][j])) / (2.0 * n) / temperature;
                along += g[j] * cos[i][j];
            }
            int row = index[i] * width;
            for (int k = 0; k < width; k++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += g[j] * b[j][k];
                }
                grad[row + k] = (float) ((sum - along * a[i][k]) / normA[i]);
            }
        }
        return new LossValue((lossImage + lossText) / 2, grad, n);
    }

    private double[][] targetMatrix(long[] labels, int[] index) {
        int n = index.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (targets == Targets.HARD) {
                m[i][i] = 1;
                continue;
            }
            int same = 0;
            for (int k = 0; k < n; k++) {
                same += labels[index[k]] == labels[index[i]] ? 1 : 0;
            }
            for (int j = 0; j < n; j++) {
                m[i][j] = labels[index[j]] == labels[index[i]] ? 1.0 / same : 0;
            }
        }
        return m;
    }

    /**
     * Mean over rows (or columns) of {@code sum -M log softmax(s)}; leaves the softmax in {@code prob}
     * at [i][j] either way.
     */
    private static double crossEntropy(double[][] s, double[][] m, double[][] prob, boolean columns) {
        int n = s.length;
        double total = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, columns ? s[k][r] : s[r][k]);
            }
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += Math.exp((columns ? s[k][r] : s[r][k]) - max);
            }
            double logSum = max + Math.log(sum);
            for (int k = 0; k < n; k++) {
                int i = columns ? k : r;
                int j = columns ? r : k;
                double logP = s[i][j] - logSum;
                prob[i][j] = Math.exp(logP);
                total -= m[i][j] * logP;
            }
        }
        return total / n;
    }

    private static int[] validIndices(FrameMask mask) {
        int[] index = new int[mask.count()];
        int k = 0;
        for (int i = 0; i < mask.size(); i++) {
            if (mask.isValid(i)) {
                index[k++] = i;
            }
        }
        return index;
    }

    private static double norm(float[] v, int offset, int width) {
        double sum = 0;
        for (int k = 0; k < width; k++) {
            sum += (double) v[offset + k] * v[offset + k];
        }
        return Math.sqrt(sum);
    }

    private static double[] unit(float[] v, int offset, int width, double norm) {
        double[] u = new double[width];
        for (int k = 0; k < width; k++) {
            u[k] = v[offset + k] / norm;
        }
        return u;
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int k = 0; k < x.length; k++) {
            sum += x[k] * y[k];
        }
        return sum;
    }
}
