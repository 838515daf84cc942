package dev.affect.engine.training.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch gave (epochs count from 1): its optimiser steps, mean training loss and the
 * metrics (keys {@link Metric#key()}, validation scores then {@code train_loss}, in that order),
 * plus the per-AU thresholds the validation search found (empty for other tasks).
 */
public record EpochRecord(int epoch, long steps, double trainLoss, Map<String, Double> metrics,
                          double[] auThresholds, double seconds) {
    public EpochRecord {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        auThresholds = auThresholds.clone();
    }

    /** The value of {@code m} in this epoch (NaN when absent). */
    public double value(Metric m) {
        Double v = metrics.get(m.key());
        return v == null ? Double.NaN : v;
    }

    @Override
    public double[] auThresholds() {
        return auThresholds.clone();
    }
}
