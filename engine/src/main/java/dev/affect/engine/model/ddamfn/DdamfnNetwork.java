package dev.affect.engine.model.ddamfn;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * DDAMNet.forward (ddamfn.md sections 2 and 3) as the authors' graph on the graph IR, with every
 * parameter named by its state_dict key. No inference rewrite is applied here: MDConv is a split,
 * one depthwise convolution per kernel and a concat; coordinate attention concatenates and splits;
 * rewrites belong to {@code engine.graph.passes}.
 *
 * <p>Input {@value #INPUT} f32[N, 3, 112, 112]. Outputs, in this order: {@value #LOGITS} [N, num_class],
 * {@value #EMBEDDING} [N, 512], {@value #FEATURES} [N, 512, 7, 7], {@code head.<i>} [N, 512, 7, 7],
 * the backbone stages {@code features.0} .. {@code features.8}, and in training mode the updated
 * running statistics of every executed BatchNorm, named by their state_dict keys
 * ({@code <bn>.running_mean}, {@code <bn>.running_var}). Modules forward() never runs (MDConv's
 * bn/prelu, each head's Linear, DDAMNet.bn) are not in the graph.
 */
public final class DdamfnNetwork {
    public static final String INPUT = "input";
    public static final String LOGITS = "logits";
    public static final String EMBEDDING = "embedding";
    public static final String FEATURES = "features";
    /** Stages 0 .. 8 of the backbone. */
    public static final int STAGES = 9;

    /** One Mix_Depth_Wise stage of the backbone: a transition block, or a stack of residual blocks. */
    record MixStage(int index, int in, int out, int blocks, MixDepthwiseBlock block) {
        boolean stacked() {
            return blocks > 0;
        }

        String blockPrefix(int b) {
            return stacked() ? "features." + index + ".model." + b : "features." + index;
        }
    }

    /** features.2 .. features.7 (ddamfn.md section 2). */
    static final List<MixStage> MIX = List.of(
            new MixStage(2, 64, 64, 0, new MixDepthwiseBlock(128, new int[] {3, 5, 7}, new int[] {64, 32, 32}, 2, false)),
            new MixStage(3, 64, 64, 9, new MixDepthwiseBlock(128, new int[] {3, 5}, new int[] {96, 32}, 1, true)),
            new MixStage(4, 64, 128, 0, new MixDepthwiseBlock(256, new int[] {3, 5, 7}, new int[] {128, 64, 64}, 2, false)),
            new MixStage(5, 128, 128, 16, new MixDepthwiseBlock(256, new int[] {3, 5}, new int[] {192, 64}, 1, true)),
            new MixStage(6, 128, 256, 0,
                    new MixDepthwiseBlock(1024, new int[] {3, 5, 7, 9}, new int[] {256, 256, 256, 256}, 2, false)),
            new MixStage(7, 256, 256, 6, new MixDepthwiseBlock(512, new int[] {3, 5, 7}, new int[] {172, 170, 170}, 1, true)));

    private DdamfnNetwork() {
    }

    /** {@code head.<i>}: the i-th attention map. */
    public static String head(int i) {
        return "head." + i;
    }

    /** {@code features.<i>}: the output of backbone child i. */
    public static String stage(int i) {
        return "features." + i;
    }

    /** The input type, f32[N, 3, 112, 112]. */
    public static TensorType inputType() {
        return TensorType.batched(DType.F32, 3, DdamfnConfig.INPUT_SIZE, DdamfnConfig.INPUT_SIZE);
    }

    public static Shape inputShape(int batch) {
        return inputType().resolve(batch);
    }

    /** The serving outputs: logits and embedding. */
    public static List<String> servingOutputs() {
        return List.of(LOGITS, EMBEDDING);
    }

    /** What forward() returns plus the embedding: logits, embedding, features, head.0 .. */
    public static List<String> forwardOutputs(DdamfnConfig cfg) {
        List<String> names = new ArrayList<>(List.of(LOGITS, EMBEDDING, FEATURES));
        for (int h = 0; h < cfg.numHead(); h++) {
            names.add(head(h));
        }
        return List.copyOf(names);
    }

    public static Graph build(DdamfnConfig cfg, DdamfnMode mode) {
        GraphBuilder g = new GraphBuilder();
        Layers l = new Layers(g, mode);
        Value x = g.input(INPUT, inputType());
        List<Value> stages = new ArrayList<>();
        x = l.convBlock("features.0", x, 64, 3, 3, 2, 1, 1, 1);
        stages.add(x);
        x = l.convBlock("features.1", x, 64, 3, 3, 1, 1, 1, 64);
        stages.add(x);
        for (MixStage s : MIX) {
            for (int b = 0; b < Math.max(1, s.blocks()); b++) {
                x = s.block().apply(l, s.blockPrefix(b), x, s.out());
            }
            stages.add(x);
        }
        Value features = l.convBlock("features.8", x, 512, 1, 1, 1, 0, 0, 1);
        stages.add(features);

        List<Value> heads = new ArrayList<>();
        Value combined = null;
        for (int h = 0; h < cfg.numHead(); h++) {
            Value map = DualDirectionAttention.apply(l, "cat_head" + h + ".CoordAtt", features);
            heads.add(map);
            combined = combined == null ? map : l.max("heads.max" + h, combined, map);
        }
        Value attended = l.mul("attended", features, combined);
        Value pooled = l.linearBlock("Linear", attended, 512, 7, 7, 1, 0, 0, 512); // GDConv -> [N, 512, 1, 1]
        Value embedding = g.add(Reshape.of(-1, DdamfnConfig.EMBEDDING), "flatten", pooled);
        Value logits = g.add(new Linear(true), "fc", embedding,
                g.parameter("fc.weight", Shape.of(cfg.numClass(), DdamfnConfig.EMBEDDING)),
                g.parameter("fc.bias", Shape.of(cfg.numClass())));

        g.output(LOGITS, logits).output(EMBEDDING, embedding).output(FEATURES, features);
        for (int h = 0; h < heads.size(); h++) {
            g.output(head(h), heads.get(h));
        }
        for (int i = 0; i < stages.size(); i++) {
            g.output(stage(i), stages.get(i));
        }
        l.runningStats.forEach(g::output);
        return g.build();
    }
}
