package dev.affect.server.stream;

import dev.affect.engine.model.heads.Task;
import java.util.EnumMap;
import java.util.Map;

/**
 * Causal smoothing of one session: each value reported is the mean of the last N frames' values of
 * its task. Not thread-safe: a session's results are built on its call's serial executor.
 */
final class Smoother {
    private final int window;
    private final Map<Task, float[][]> history = new EnumMap<>(Task.class);
    private final Map<Task, Integer> counts = new EnumMap<>(Task.class);

    Smoother(int window) {
        this.window = window;
    }

    /** Adds this frame's values of {@code task} and returns the smoothed ones (the input when off). */
    float[] add(Task task, float[] values) {
        if (window <= 1) {
            return values;
        }
        float[][] ring = history.computeIfAbsent(task, t -> new float[window][]);
        int count = counts.getOrDefault(task, 0);
        ring[count % window] = values;
        count++;
        counts.put(task, count);
        int n = Math.min(count, window);
        float[] mean = new float[values.length];
        for (int k = 0; k < n; k++) {
            float[] v = ring[k];
            for (int j = 0; j < mean.length; j++) {
                mean[j] += v[j];
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** Forgets every value: the next frame is the first of the window (another face is followed now). */
    void restart() {
        history.clear();
        counts.clear();
    }
}
