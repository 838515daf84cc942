package dev.affect.engine.metrics;

import dev.affect.engine.InvalidInputException;

/**
 * Expression scores over all frames of a set, as sklearn computes them with {@code labels=0..7} and
 * {@code zero_division=0}: per-class precision, recall and F1 (one class against the rest), their
 * plain macro mean over all 8 classes (zero-F1 classes included), accuracy and the confusion matrix
 * (rows = true class, columns = predicted class). Arrays are indexed by class.
 */
public record ExprMetrics(int nFrames, double f1Macro, double accuracy, double[] perClassF1,
                          double[] perClassPrecision, double[] perClassRecall, long[] support, long[] predicted,
                          long[][] confusionMatrix) {
    /** Neutral, Anger, Disgust, Fear, Happiness, Sadness, Surprise, Other. */
    public static final int NUM_CLASSES = 8;

    /** Predicted and true class indices, both in 0..7, one per frame. */
    public static ExprMetrics of(long[] pred, long[] truth) {
        int n = Ccc.checkLengths(pred.length, truth.length);
        long[][] cm = new long[NUM_CLASSES][NUM_CLASSES];
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int t = classIndex("truth", truth[i], i);
            int p = classIndex("predictions", pred[i], i);
            cm[t][p]++;
            if (t == p) {
                correct++;
            }
        }
        double[] f1 = new double[NUM_CLASSES];
        double[] precision = new double[NUM_CLASSES];
        double[] recall = new double[NUM_CLASSES];
        long[] support = new long[NUM_CLASSES];
        long[] predicted = new long[NUM_CLASSES];
        double sum = 0;
        for (int c = 0; c < NUM_CLASSES; c++) {
            for (int k = 0; k < NUM_CLASSES; k++) {
                support[c] += cm[c][k];
                predicted[c] += cm[k][c];
            }
            BinaryCounts counts = new BinaryCounts(cm[c][c], predicted[c] - cm[c][c], support[c] - cm[c][c]);
            f1[c] = counts.f1();
            precision[c] = counts.precision();
            recall[c] = counts.recall();
            sum += f1[c];
        }
        return new ExprMetrics(n, sum / NUM_CLASSES, (double) correct / n, f1, precision, recall, support, predicted, cm);
    }

    private static int classIndex(String field, long value, int frame) {
        if (value < 0 || value >= NUM_CLASSES) {
            throw new InvalidInputException(field, "frame " + frame + ": class " + value + " is not in 0.." + (NUM_CLASSES - 1));
        }
        return (int) value;
    }
}
