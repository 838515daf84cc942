package dev.affect.engine.nn;

import dev.affect.engine.backend.Activation;
import dev.affect.engine.backend.BatchNorm;
import dev.affect.engine.backend.Conv2d;
import dev.affect.engine.backend.Graph.Value;
import dev.affect.engine.backend.GraphBuilder;

/**
 * The authors' Conv_block (conv -> BN -> PReLU) and Linear_block (conv -> BN): bias-free
 * convolution with keys {@code conv.weight}, {@code bn.*} and, for Conv_block, {@code prelu.weight}.
 */
public final class ConvBn {
    /** PyTorch's BatchNorm default. */
    public static final float BN_EPS = 1e-5f;

    private ConvBn() {
    }

    public static Value linearBlock(GraphBuilder g, WeightSource w, String name, Value x,
                                    int strideH, int strideW, int padH, int padW, int groups) {
        Value c = g.add(new Conv2d(w.get("conv.weight"), null, strideH, strideW, padH, padW, groups, null, false),
                name + ".conv", x);
        return g.add(batchNorm(w.prefixed("bn")), name + ".bn", c);
    }

    public static Value convBlock(GraphBuilder g, WeightSource w, String name, Value x, int stride, int pad, int groups) {
        Value bn = linearBlock(g, w, name, x, stride, stride, pad, pad, groups);
        return g.add(Activation.prelu(w.get("prelu.weight")), name, bn);
    }

    public static BatchNorm batchNorm(WeightSource bn) {
        return new BatchNorm(bn.get("running_mean"), bn.get("running_var"), bn.get("weight"), bn.get("bias"), BN_EPS);
    }
}
