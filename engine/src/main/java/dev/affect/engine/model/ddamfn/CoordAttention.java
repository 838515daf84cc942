package dev.affect.engine.model.ddamfn;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Value;
import java.util.List;

/**
 * The backbone's coordinate attention (MixedFeatureNet.py CoordAtt, ddamfn.md 1.1), exactly as the
 * authors compute it: both pooled maps are concatenated along H so conv1, bn1 and h_swish run once
 * on [N, C, H+W, 1], then split again. (In training mode bn1's statistics are over both halves
 * together, which a per-half rewrite would not reproduce.)
 */
final class CoordAttention {
    private CoordAttention() {
    }

    /** mip = max(8, inp / 32), the squeezed width. */
    static int squeezed(int channels) {
        return Math.max(8, channels / 32);
    }

    /** x * a_w * a_h for x [N, C, H, W] at module prefix {@code p} (e.g. {@code features.2.CA}). */
    static Value apply(Layers l, String p, Value x) {
        int c = Layers.channels(x);
        int h = Layers.height(x);
        int w = Layers.width(x);
        Value xh = l.g.add(new Mean(3), p + ".pool_h", x); // [N, C, H, 1]
        Value xw = l.swapHw(p + ".pool_w.t", l.g.add(new Mean(2), p + ".pool_w", x)); // [N, C, W, 1]
        List<Value> parts = squeezeAndSplit(l, p, xh, xw, h, w);
        Value[] a = excite(l, p, parts, c);
        return l.mul(p, l.mul(p + ".mul_w", x, a[1]), a[0]);
    }

    /**
     * y = h_swish(bn1(conv1(cat([x_h, x_w], dim=2)))), split back into [H, W] rows; the W part is
     * transposed back to [N, mip, 1, W]. Shared with the dual-direction head.
     */
    static List<Value> squeezeAndSplit(Layers l, String p, Value xh, Value xw, int h, int w) {
        Value y = l.concat(p + ".cat", 2, xh, xw);
        y = l.pointwise(p + ".conv1", y, squeezed(Layers.channels(xh)));
        y = l.batchNorm(p + ".bn1", y);
        y = l.activation(Activation.Kind.HSWISH, p + ".act", y);
        List<Value> parts = l.split(p + ".split", 2, y, h, w);
        return List.of(parts.get(0), l.swapHw(p + ".split.1.t", parts.get(1)));
    }

    /** {a_h = sigmoid(conv2(part_h)) [N, C, H, 1], a_w = sigmoid(conv3(part_w)) [N, C, 1, W]}. */
    static Value[] excite(Layers l, String p, List<Value> parts, int channels) {
        Value ah = l.activation(Activation.Kind.SIGMOID, p + ".a_h", l.pointwise(p + ".conv2", parts.get(0), channels));
        Value aw = l.activation(Activation.Kind.SIGMOID, p + ".a_w", l.pointwise(p + ".conv3", parts.get(1), channels));
        return new Value[] {ah, aw};
    }
}
