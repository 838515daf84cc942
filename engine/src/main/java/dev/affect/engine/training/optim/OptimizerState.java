package dev.affect.engine.training.optim;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adam's state: the update count and the float32 first and second moments of every parameter it
 * has updated (torch's {@code step}, {@code exp_avg}, {@code exp_avg_sq}). Arrays are copies.
 */
public record OptimizerState(long step, Map<String, float[]> expAvg, Map<String, float[]> expAvgSq) {
    static final String STEP = "step";
    static final String EXP_AVG = "exp_avg.";
    static final String EXP_AVG_SQ = "exp_avg_sq.";

    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("optimiser step must be >= 0, got " + step);
        }
        if (!expAvg.keySet().equals(expAvgSq.keySet())) {
            throw new IllegalArgumentException("exp_avg and exp_avg_sq name different parameters: " + expAvg.keySet()
                    + " vs " + expAvgSq.keySet());
        }
        expAvg = deepCopy(expAvg);
        expAvgSq = deepCopy(expAvgSq);
    }

    /** As tensors for a checkpoint: {@code step} (int64 scalar as [1]), {@code exp_avg.<p>}, {@code exp_avg_sq.<p>} (flat). */
    public StateDict toStateDict() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(STEP, Tensor.ofLongs(new long[] {step}, 1));
        expAvg.forEach((k, v) -> m.put(EXP_AVG + k, Tensor.of(v, v.length)));
        expAvgSq.forEach((k, v) -> m.put(EXP_AVG_SQ + k, Tensor.of(v, v.length)));
        return new StateDict(m);
    }

    /** Reads what {@link #toStateDict()} wrote; a missing or malformed entry is an IllegalArgumentException naming it. */
    public static OptimizerState fromStateDict(StateDict sd) {
        if (!sd.contains(STEP) || sd.get(STEP).numel() != 1) {
            throw new IllegalArgumentException("optimiser state has no scalar '" + STEP + "' (keys: " + sd.names() + ")");
        }
        Map<String, float[]> m = new TreeMap<>();
        Map<String, float[]> v = new TreeMap<>();
        for (String name : sd.names()) {
            if (name.startsWith(EXP_AVG_SQ)) {
                v.put(name.substring(EXP_AVG_SQ.length()), sd.get(name).toFloatArray());
            } else if (name.startsWith(EXP_AVG)) {
                m.put(name.substring(EXP_AVG.length()), sd.get(name).toFloatArray());
            } else if (!name.equals(STEP)) {
                throw new IllegalArgumentException("unexpected entry '" + name + "' in optimiser state");
            }
        }
        return new OptimizerState(sd.get(STEP).getLong(0), m, v);
    }

    /** The zero state of a fresh optimiser. */
    public static OptimizerState initial() {
        return new OptimizerState(0, Map.of(), Map.of());
    }

    static Map<String, float[]> deepCopy(Map<String, float[]> m) {
        Map<String, float[]> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v.clone()));
        return java.util.Collections.unmodifiableMap(c);
    }
}
