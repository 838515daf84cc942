package dev.affect.cli.benchtrain;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timed training steps of one workload, with the keys the PyTorch peer prints: frames/s is frames
 * per step over the median step time.
 */
public record StepFigures(int framesPerStep, double[] sortedMs) {
    public StepFigures {
        if (sortedMs.length == 0) {
            throw new IllegalArgumentException("no timed steps");
        }
        sortedMs = sortedMs.clone();
        Arrays.sort(sortedMs);
    }

    /** Runs {@code warmup} untimed steps, then {@code steps} timed ones. */
    public static StepFigures time(Runnable step, int warmup, int steps, int framesPerStep) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long s = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        return new StepFigures(framesPerStep, ms);
    }

    public double medianMs() {
        return sortedMs[sortedMs.length / 2];
    }

    public double framesPerSecond() {
        return framesPerStep * 1000.0 / medianMs();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames_per_step", framesPerStep);
        m.put("steps", sortedMs.length);
        m.put("ms_per_step_median", medianMs());
        m.put("ms_per_step_p10", sortedMs[sortedMs.length / 10]);
        m.put("ms_per_step_p90", sortedMs[Math.min(sortedMs.length - 1, sortedMs.length * 9 / 10)]);
        m.put("frames_per_second", framesPerSecond());
        return m;
    }
}
