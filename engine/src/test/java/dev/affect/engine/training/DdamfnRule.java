package dev.affect.engine.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.StateDict;
import java.util.Map;

/**
 * Rule (D) of fixtures/training/README.md for the DDAMFN step: float32 gradients per tensor within
 * 1e-2 max|b| for {@code features.*} and 1e-4 max|b| for the others; BatchNorm running statistics
 * within 1e-6 + 1e-4|b|; updated parameters within 1e-6 + 1e-4|b| for 99.9% of the elements whose
 * reference gradient is at least 1e-2 of its tensor's largest, and within 2*lr + 1e-6 everywhere.
 */
final class DdamfnRule {
    private DdamfnRule() {
    }

    /** Per-tensor relative tolerance of a float32 gradient. */
    static double gradientTolerance(String name) {
        return name.startsWith("features.") ? 1e-2 : 1e-4;
    }

    /** Asserts a tensor against its reference by {@code max|a-b| <= tolerance * max|b|}; returns max|a-b|/max|b|. */
    static double assertScaled(String what, float[] actual, float[] expected, double tolerance) {
        double rel = scaledDeviation(actual, expected);
        assertTrue(rel <= tolerance, what + ": max|a-b| = " + rel + " * max|b| > " + tolerance);
        return rel;
    }

    /** max|a-b| / max|b|. */
    static double scaledDeviation(float[] actual, float[] expected) {
        double max = 0;
        double dev = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            dev = Math.max(dev, Math.abs((double) actual[i] - expected[i]));
        }
        return dev / max;
    }

    static void assertGradients(Map<String, float[]> actual, StateDict expected, StringBuilder report) {
        for (String name : expected.names()) {
            float[] g = actual.get(name);
            assertTrue(g != null, "no gradient for " + name);
            double rel = assertScaled("gradient of " + name, g, expected.get(name).toFloatArray(), gradientTolerance(name));
            report.append(String.format("%n  grad %s: %.2e max|b|", name, rel));
        }
    }

    /** Asserts every running statistic within 1e-6 + 1e-4|b|; returns a summary of the deviations. */
    static String assertRunningStatistics(ParameterStore store, StateDict expected) {
        return checkRunningStatistics(store, expected, 0, Double.POSITIVE_INFINITY);
    }

    /**
     * Counts running statistics outside 1e-6 + 1e-4|b| and fails when more than {@code allowedFraction}
     * of them are, or when any is more than {@code scaledBound * max|b|} of its tensor off; returns the
     * counts and the worst deviation, absolute and scaled.
     */
    static String checkRunningStatistics(ParameterStore store, StateDict expected, double allowedFraction,
            double scaledBound) {
        long total = 0;
        long outside = 0;
        double worstAbs = 0;
        double worstScaled = 0;
        String first = null;
        for (String name : expected.names()) {
            float[] a = store.get(name).toFloatArray();
            float[] b = expected.get(name).toFloatArray();
            double max = 0;
            for (float x : b) {
                max = Math.max(max, Math.abs(x));
            }
            for (int i = 0; i < b.length; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                total++;
                worstAbs = Math.max(worstAbs, d);
                worstScaled = Math.max(worstScaled, d / max);
                if (d > 1e-6 + 1e-4 * Math.abs(b[i])) {
                    outside++;
                    if (first == null) {
                        first = name + "[" + i + "] = " + a[i] + ", expected " + b[i];
                    }
                }
            }
        }
        String summary = String.format("%d of %d running statistics outside 1e-6+1e-4|b| (first: %s), max|a-b| %.2e, "
                + "%.2e max|b|", outside, total, first, worstAbs, worstScaled);
        assertTrue(outside <= allowedFraction * total && worstScaled <= scaledBound, summary);
        return summary;
    }

    static void assertUpdated(ParameterStore store, StateDict expected, StateDict referenceGradients, double lr,
            StringBuilder report) {
        for (String name : expected.names()) {
            float[] a = store.get(name).toFloatArray();
            float[] b = expected.get(name).toFloatArray();
            float[] g = referenceGradients.get(name).toFloatArray();
            double maxG = 0;
            for (float x : g) {
                maxG = Math.max(maxG, Math.abs(x));
            }
            long well = 0;
            long wellOk = 0;
            for (int i = 0; i < b.length; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                assertTrue(d <= 2 * lr + 1e-6, name + "[" + i + "] moved " + d + " from the reference");
                if (Math.abs(g[i]) >= 1e-2 * maxG) {
                    well++;
                    wellOk += d <= 1e-6 + 1e-4 * Math.abs(b[i]) ? 1 : 0;
                }
            }
            double fraction = (double) wellOk / well;
            report.append(String.format("%n  updated %s: %.5f of %d well-conditioned within 1e-6+1e-4|b|", name, fraction, well));
            assertTrue(fraction >= 0.999, name + ": only " + fraction + " of the well-conditioned elements match");
        }
    }
}
