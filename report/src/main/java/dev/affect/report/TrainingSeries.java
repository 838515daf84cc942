package dev.affect.report;

import dev.affect.engine.InvalidInputException;

/**
 * One training curve: {@code name} (say "train loss" or "validation P_VA"), the unit of its x axis
 * ({@code x}, say "step" or "epoch"; curves with the same unit share a chart) and its points
 * {@code (xs[i], ys[i])}. A non-finite y (a diverged loss) is kept here and left out of the chart.
 */
public record TrainingSeries(String name, String x, double[] xs, double[] ys) {
    public TrainingSeries {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("series name", "empty");
        }
        if (x == null || x.isBlank()) {
            throw new InvalidInputException("series '" + name + "'", "has no x unit (step, epoch, ...)");
        }
        if (xs.length != ys.length) {
            throw new InvalidInputException("series '" + name + "'", xs.length + " x values for " + ys.length + " y values");
        }
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(xs[i])) {
                throw new InvalidInputException("series '" + name + "'", "point " + i + " has x " + xs[i]);
            }
        }
    }

    public int size() {
        return xs.length;
    }
}
