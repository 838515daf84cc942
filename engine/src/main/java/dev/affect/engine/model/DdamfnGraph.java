package dev.affect.engine.model;

import dev.affect.engine.backend.Binary;
import dev.affect.engine.backend.Flatten;
import dev.affect.engine.backend.Graph;
import dev.affect.engine.backend.Graph.Value;
import dev.affect.engine.backend.GraphBuilder;
import dev.affect.engine.backend.Linear;
import dev.affect.engine.nn.ConvBn;
import dev.affect.engine.nn.CoordinateAttention;
import dev.affect.engine.nn.WeightSource;

/**
 * DDAMNet.forward as a graph (ddamfn.md section 3). Outputs: {@code logits}, {@code embedding},
 * {@code features}, {@code head.<i>} and the backbone stages {@code features.0} .. {@code features.8}.
 */
public final class DdamfnGraph {
    public static final String INPUT = "input";
    public static final String LOGITS = "logits";
    public static final String EMBEDDING = "embedding";
    public static final String FEATURES = "features";

    private DdamfnGraph() {
    }

    public static String head(int i) {
        return "head." + i;
    }

    public static String stage(int i) {
        return "features." + i;
    }

    public static Graph build(WeightSource w, DdamfnConfig cfg) {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input(INPUT);
        x = ConvBn.convBlock(g, w.prefixed("features.0"), "features.0", x, 2, 1, 1);
        g.output(stage(0), x);
        x = ConvBn.convBlock(g, w.prefixed("features.1"), "features.1", x, 1, 1, 64);
        g.output(stage(1), x);
        for (MixedFeatureNetStages.MixStage s : MixedFeatureNetStages.MIX) {
            for (int b = 0; b < Math.max(1, s.blocks()); b++) {
                String p = MixedFeatureNetStages.blockPrefix(s, b);
                x = s.block().apply(g, w.prefixed(p), p, x);
            }
            g.output(stage(s.index()), x);
        }
        Value features = ConvBn.convBlock(g, w.prefixed("features.8"), "features.8", x, 1, 0, 1);
        g.output(stage(8), features);

        Value combined = null;
        for (int h = 0; h < cfg.numHead(); h++) {
            String p = "cat_head" + h + ".CoordAtt";
            Value map = CoordinateAttention.dualDirectionMap(g, w.prefixed(p), p, features, 512, 7, 7);
            g.output(head(h), map);
            combined = combined == null ? map : g.add(Binary.max(), "heads.max" + h, combined, map);
        }
        Value attended = g.add(Binary.mul(), "attended", features, combined);
        Value pooled = ConvBn.linearBlock(g, w.prefixed("Linear"), "Linear", attended, 1, 1, 0, 0, 512);
        Value embedding = g.add(new Flatten(), EMBEDDING, pooled);
        Value logits = g.add(new Linear(w.get("fc.weight"), w.get("fc.bias")), LOGITS, embedding);
        g.output(LOGITS, logits).output(EMBEDDING, embedding).output(FEATURES, features);
        return g.build();
    }
}
