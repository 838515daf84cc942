package dev.affect.report;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.metrics.AuMetrics;
import dev.affect.engine.model.heads.Task;
import java.util.List;

/**
 * The action-unit scores of a set, arrays in {@code aus} order: F1 at the fixed 0.5 threshold and
 * its mean (the challenge metric), and each AU's searched threshold with the F1 it reaches.
 */
public record AuScores(int nFrames, List<String> aus, double f1Mean, double[] f1PerAu, double f1MeanOptimized,
                       double[] thresholds, double[] f1PerAuOptimized) {
    public AuScores {
        aus = List.copyOf(aus);
        check("f1_per_au", f1PerAu, aus.size());
        check("thresholds", thresholds, aus.size());
        check("f1_per_au_optimized", f1PerAuOptimized, aus.size());
    }

    public static AuScores of(AuMetrics m) {
        return new AuScores(m.nFrames(), Task.AU.labels(), m.f1Mean(), m.f1PerAu(), m.f1MeanOptimized(),
                m.bestThresholds(), m.f1PerAuOptimized());
    }

    private static void check(String field, double[] values, int n) {
        if (values.length != n) {
            throw new InvalidInputException(field, values.length + " values for " + n + " action units");
        }
    }
}
