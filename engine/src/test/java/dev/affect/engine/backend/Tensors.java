package dev.affect.engine.backend;

import dev.affect.engine.tensor.Tensor;

/** Comparison helpers for tests. */
public final class Tensors {
    private Tensors() {
    }

    /** max |a - b| / max |b|: the error relative to the reference's scale. */
    public static double relativeError(Tensor actual, Tensor expected) {
        if (actual.numel() != expected.numel()) {
            throw new AssertionError("sizes differ: " + actual.shape() + " vs " + expected.shape());
        }
        double maxDiff = 0;
        double maxRef = 0;
        for (long i = 0; i < expected.numel(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (Double.isNaN(a)) {
                return Double.POSITIVE_INFINITY;
            }
            maxDiff = Math.max(maxDiff, Math.abs(a - e));
            maxRef = Math.max(maxRef, Math.abs(e));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
