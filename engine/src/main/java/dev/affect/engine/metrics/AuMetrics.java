package dev.affect.engine.metrics;

import dev.affect.engine.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Action-unit scores over all frames of a set: per AU the binary F1 (sklearn, zero_division=0) of
 * {@code prob >= 0.5} against the 0/1 truth and their mean; then a per-AU threshold search over
 * {@link #THRESHOLDS} (the doubles nearest 0.1 .. 0.9), highest F1 wins, ties go to the lowest
 * threshold. Probabilities are compared as float64. Arrays are indexed [AU] or [AU][threshold].
 *
 * @param countsGrid [AU][threshold] counts behind {@code f1Grid}
 * @param tiedBestThresholds for each AU with more than one threshold reaching its best F1 exactly,
 *     all of them ascending (AU index -> thresholds); {@code bestThresholds} holds the first
 */
public record AuMetrics(int nFrames, int nAus, double[] f1PerAu, double f1Mean, double[][] f1Grid,
                        BinaryCounts[][] countsGrid, double[] bestThresholds, double[] f1PerAuOptimized,
                        double f1MeanOptimized, Map<Integer, List<Double>> tiedBestThresholds) {
    /** The fixed threshold of {@link #f1PerAu()}. */
    public static final double THRESHOLD = 0.5;
    /** k / 10.0 for k = 1..9 (not k * 0.1, which gives 0.30000000000000004). */
    public static final List<Double> THRESHOLDS = thresholds();

    /**
     * @param prob (N, aus) row-major probabilities
     * @param truth (N, aus) row-major 0/1 labels
     */
    public static AuMetrics of(double[] prob, long[] truth, int aus) {
        Ccc.checkLengths(prob.length, truth.length);
        if (aus < 1 || prob.length % aus != 0) {
            throw new InvalidInputException("predictions", prob.length + " values are not rows of " + aus + " AUs");
        }
        int n = prob.length / aus;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != 0 && truth[i] != 1) {
                throw new InvalidInputException("truth", "frame " + i / aus + ", AU " + i % aus + ": label " + truth[i]
                        + " is not 0 or 1");
            }
        }
        int nt = THRESHOLDS.size();
        double[] f1 = new double[aus];
        double[][] grid = new double[aus][nt];
        BinaryCounts[][] counts = new BinaryCounts[aus][nt];
        double[] best = new double[aus];
        double[] f1Best = new double[aus];
        Map<Integer, List<Double>> ties = new TreeMap<>();
        double sum = 0;
        double sumBest = 0;
        for (int a = 0; a < aus; a++) {
            f1[a] = counts(prob, truth, aus, n, a, THRESHOLD).f1();
            sum += f1[a];
            int bestIndex = 0;
            for (int k = 0; k < nt; k++) {
                counts[a][k] = counts(prob, truth, aus, n, a, THRESHOLDS.get(k));
                grid[a][k] = counts[a][k].f1();
                if (grid[a][k] > grid[a][bestIndex]) {
                    bestIndex = k;
                }
            }
            best[a] = THRESHOLDS.get(bestIndex);
            f1Best[a] = grid[a][bestIndex];
            sumBest += f1Best[a];
            List<Double> tied = new ArrayList<>();
            for (int k = 0; k < nt; k++) {
                if (grid[a][k] == f1Best[a]) {
                    tied.add(THRESHOLDS.get(k));
                }
            }
            if (tied.size() > 1) {
                ties.put(a, List.copyOf(tied));
            }
        }
        return new AuMetrics(n, aus, f1, sum / aus, grid, counts, best, f1Best, sumBest / aus,
                Collections.unmodifiableMap(ties));
    }

    /** As {@link #of(double[], long[], int)} for float32 probabilities, widened to float64 before comparing. */
    public static AuMetrics of(float[] prob, long[] truth, int aus) {
        return of(Ccc.widen(prob), truth, aus);
    }

    /** The counts of one AU with a frame positive when {@code prob >= threshold}. */
    static BinaryCounts counts(double[] prob, long[] truth, int aus, int n, int au, double threshold) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < n; i++) {
            boolean positive = prob[i * aus + au] >= threshold;
            boolean actual = truth[i * aus + au] == 1;
            if (positive && actual) {
                tp++;
            } else if (positive) {
                fp++;
            } else if (actual) {
                fn++;
            }
        }
        return new BinaryCounts(tp, fp, fn);
    }

    private static List<Double> thresholds() {
        List<Double> t = new ArrayList<>();
        for (int k = 1; k <= 9; k++) {
            t.add(k / 10.0);
        }
        return List.copyOf(t);
    }
}
