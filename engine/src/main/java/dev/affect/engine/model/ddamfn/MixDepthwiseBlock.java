package dev.affect.engine.model.ddamfn;

import dev.affect.engine.graph.Value;
import java.util.Arrays;
import java.util.List;

/**
 * Mix_Depth_Wise (ddamfn.md 1.3): Conv_block 1x1 to the expansion width G, MDConv, backbone
 * coordinate attention, Linear_block 1x1 projection, plus the input when residual.
 *
 * @param expansion G, the width inside the block
 * @param kernels   MDConv kernel sizes, smallest first
 * @param splits    MDConv channel chunk per kernel (they add up to G)
 * @param stride    of the depthwise convolutions
 * @param residual  x + block(x) (inside Mix_Residual stacks)
 */
record MixDepthwiseBlock(int expansion, int[] kernels, int[] splits, int stride, boolean residual) {

    MixDepthwiseBlock {
        kernels = kernels.clone();
        splits = splits.clone();
        if (kernels.length != splits.length || Arrays.stream(splits).sum() != expansion) {
            throw new IllegalArgumentException("MDConv splits " + Arrays.toString(splits) + " for kernels "
                    + Arrays.toString(kernels) + " do not cover " + expansion + " channels");
        }
    }

    @Override
    public int[] kernels() {
        return kernels.clone();
    }

    @Override
    public int[] splits() {
        return splits.clone();
    }

    /** The block at prefix {@code p} (e.g. {@code features.3.model.0}) with {@code out} output channels. */
    Value apply(Layers l, String p, Value x, int out) {
        Value t = l.convBlock(p + ".conv", x, expansion, 1, 1, 1, 0, 0, 1);
        t = mixedDepthwise(l, p + ".conv_dw", t);
        t = CoordAttention.apply(l, p + ".CA", t);
        t = l.linearBlock(p + ".project", t, out, 1, 1, 1, 0, 0, 1);
        return residual ? l.add(p, x, t) : t;
    }

    /**
     * MDConv as the authors run it: split the channels into consecutive chunks, one depthwise
     * convolution (padding k/2, no bias) per chunk, concatenate in order. Its {@code bn} and
     * {@code prelu} are never applied by forward(), so they are not in the graph.
     */
    Value mixedDepthwise(Layers l, String p, Value x) {
        String convs = p + ".mixed_depthwise_conv.";
        if (kernels.length == 1) {
            return depthwise(l, convs + 0, x, kernels[0], splits[0]);
        }
        List<Value> parts = l.split(p + ".split", 1, x, splits);
        Value[] outs = new Value[kernels.length];
        for (int j = 0; j < kernels.length; j++) {
            outs[j] = depthwise(l, convs + j, parts.get(j), kernels[j], splits[j]);
        }
        return l.concat(p, 1, outs);
    }

    private Value depthwise(Layers l, String p, Value x, int k, int channels) {
        return l.conv(p, x, channels, k, k, stride, k / 2, k / 2, channels, false);
    }
}
