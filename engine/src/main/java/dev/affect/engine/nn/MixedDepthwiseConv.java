package dev.affect.engine.nn;

import dev.affect.engine.backend.Conv2d;
import dev.affect.engine.backend.Graph.Value;
import dev.affect.engine.backend.GraphBuilder;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;

/**
 * MDConv: consecutive channel chunks convolved depthwise with kernels 3, 5, 7, 9 (padding k/2).
 * A k x k kernel centred in a zero K x K kernel with padding K/2 computes the same output, so the
 * chunks become one depthwise convolution with the largest kernel: one kernel launch instead of a
 * split, several convolutions and a concat. The extra terms multiply exact zeros.
 * MDConv's own bn and prelu exist in checkpoints but forward() never applies them; neither do we.
 */
public final class MixedDepthwiseConv {
    private MixedDepthwiseConv() {
    }

    public static Value apply(GraphBuilder g, WeightSource w, String name, Value x, int[] kernels, int[] splits, int stride) {
        int channels = 0;
        int kMax = 0;
        for (int i = 0; i < kernels.length; i++) {
            channels += splits[i];
            kMax = Math.max(kMax, kernels[i]);
        }
        float[] merged = new float[channels * kMax * kMax];
        int c0 = 0;
        for (int i = 0; i < kernels.length; i++) {
            int k = kernels[i];
            Tensor part = w.get("mixed_depthwise_conv." + i + ".weight");
            if (!part.shape().equals(Shape.of(splits[i], 1, k, k))) {
                throw new IllegalArgumentException(name + ".mixed_depthwise_conv." + i + ".weight is " + part.shape()
                        + ", expected " + Shape.of(splits[i], 1, k, k));
            }
            float[] pw = part.toFloatArray();
            int off = (kMax - k) / 2;
            for (int c = 0; c < splits[i]; c++) {
                for (int y = 0; y < k; y++) {
                    for (int xx = 0; xx < k; xx++) {
                        merged[((c0 + c) * kMax + y + off) * kMax + xx + off] = pw[(c * k + y) * k + xx];
                    }
                }
            }
            c0 += splits[i];
        }
        Tensor weight = Tensor.of(merged, channels, 1, kMax, kMax);
        return g.add(Conv2d.of(weight, null, stride, kMax / 2, channels), name, x);
    }
}
