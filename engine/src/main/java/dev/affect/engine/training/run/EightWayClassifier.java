package dev.affect.engine.training.run;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gives a DDAMFN checkpoint the 8-way classifier the ABAW EXPR task needs. A 7-class AffectNet or
 * RAF-DB checkpoint has no "Other" class; as the ABAW teams do, its {@code fc} is replaced by a fresh
 * 8-way layer (torch's default Linear init, seeded) and the unused {@code bn} resized to match.
 */
final class EightWayClassifier {
    private EightWayClassifier() {
    }

    /** {@code checkpoint} itself when it has 8 classes, else a copy with a new 8-way fc and bn. */
    static StateDict of(StateDict checkpoint, long seed) {
        StateDict sd = checkpoint.withoutDataParallelPrefix();
        int classes = ExprMetrics.NUM_CLASSES;
        if (!sd.contains("fc.weight") || sd.get("fc.weight").shape().dim(0) == classes) {
            return sd; // not a DDAMFN checkpoint at all is reported by Ddamfn.create, naming what is wrong
        }
        int width = DdamfnConfig.EMBEDDING;
        SplittableRandom rng = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(width);
        float[] w = new float[classes * width];
        float[] b = new float[classes];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextDouble(-bound, bound);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextDouble(-bound, bound);
        }
        float[] ones = new float[classes];
        java.util.Arrays.fill(ones, 1f);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : sd.names()) {
            Tensor t = switch (k) {
                case "fc.weight" -> Tensor.of(w, classes, width);
                case "fc.bias" -> Tensor.of(b, classes);
                case "bn.weight", "bn.running_var" -> Tensor.of(ones.clone(), classes);
                case "bn.bias", "bn.running_mean" -> Tensor.of(new float[classes], classes);
                default -> sd.get(k);
            };
            out.put(k, t);
        }
        return new StateDict(out);
    }
}
