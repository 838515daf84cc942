package dev.affect.cli;

import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One frame's values of one head, as probabilities.json shows them to people. */
final class TaskValues {
    /** The AU threshold the ABAW baseline uses; per-AU thresholds come with evaluation. */
    static final double AU_THRESHOLD = 0.5;

    private TaskValues() {
    }

    static Object of(String key, Tensor values, int row) {
        int width = values.shape().dim(1);
        float[] v = new float[width];
        for (int k = 0; k < width; k++) {
            v[k] = values.getFloat((long) row * width + k);
        }
        Task task = Task.forKey(key).orElse(null);
        if (task == null) {
            return v;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        switch (task) {
            case VA -> {
                m.put("valence", v[0]);
                m.put("arousal", v[1]);
            }
            case EXPR -> {
                int best = 0;
                for (int k = 1; k < width; k++) {
                    best = v[k] > v[best] ? k : best;
                }
                m.put("prediction", task.labels().get(best));
                m.put("probabilities", v);
            }
            case AU -> {
                List<String> active = new ArrayList<>();
                for (int k = 0; k < width; k++) {
                    if (v[k] >= AU_THRESHOLD) {
                        active.add(task.labels().get(k));
                    }
                }
                m.put("active", active);
                m.put("probabilities", v);
            }
        }
        return m;
    }
}
