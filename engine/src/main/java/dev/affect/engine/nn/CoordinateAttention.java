package dev.affect.engine.nn;

import dev.affect.engine.backend.Activation;
import dev.affect.engine.backend.Binary;
import dev.affect.engine.backend.Conv2d;
import dev.affect.engine.backend.Graph.Value;
import dev.affect.engine.backend.GraphBuilder;
import dev.affect.engine.backend.Mean;

/**
 * Coordinate attention (Hou et al. 2021). The authors concatenate the H- and W-pooled maps,
 * run conv1/bn1/h_swish once and split again; those ops are per position, so running them on each
 * part separately is the same function without the concat, transpose and split.
 */
public final class CoordinateAttention {
    private CoordinateAttention() {
    }

    /** The shared conv1 -> bn1 -> h_swish on one pooled part. */
    static Value squeeze(GraphBuilder g, WeightSource w, String name, Value part) {
        Value c = g.add(Conv2d.of(w.get("conv1.weight"), w.get("conv1.bias"), 1, 0, 1), name + ".conv1", part);
        Value bn = g.add(ConvBn.batchNorm(w.prefixed("bn1")), name + ".bn1", c);
        return g.add(Activation.hswish(), name + ".act", bn);
    }

    /** sigmoid(conv(part)), giving one direction's attention weights. */
    static Value excite(GraphBuilder g, WeightSource w, String conv, String name, Value part) {
        Value c = g.add(Conv2d.of(w.get(conv + ".weight"), w.get(conv + ".bias"), 1, 0, 1), name, part);
        return g.add(Activation.sigmoid(), name + ".sigmoid", c);
    }

    /** Backbone CoordAtt: average pooling along each axis; returns x * a_w * a_h. */
    public static Value backbone(GraphBuilder g, WeightSource w, String name, Value x) {
        Value pooledH = g.add(new Mean(3), name + ".pool_h", x); // [N,C,H,1]
        Value pooledW = g.add(new Mean(2), name + ".pool_w", x); // [N,C,1,W]
        Value aH = excite(g, w, "conv2", name + ".conv2", squeeze(g, w, name + ".h", pooledH));
        Value aW = excite(g, w, "conv3", name + ".conv3", squeeze(g, w, name + ".w", pooledW));
        Value xw = g.add(Binary.mul(), name + ".mul_w", x, aW);
        return g.add(Binary.mul(), name, xw, aH);
    }

    /**
     * DDAMFN's dual-direction head: learned depthwise 1x7 / 7x1 pooling (Linear_h / Linear_w) instead
     * of averages, and it returns the attention map a_w * a_h itself, not x multiplied by it.
     */
    public static Value dualDirectionMap(GraphBuilder g, WeightSource w, String name, Value x, int channels, int h, int wd) {
        Value pooledH = ConvBn.linearBlock(g, w.prefixed("Linear_h"), name + ".Linear_h", x, 1, 1, 0, 0, channels);
        Value pooledW = ConvBn.linearBlock(g, w.prefixed("Linear_w"), name + ".Linear_w", x, 1, 1, 0, 0, channels);
        Value aH = excite(g, w, "conv2", name + ".conv2", squeeze(g, w, name + ".h", pooledH));
        Value aW = excite(g, w, "conv3", name + ".conv3", squeeze(g, w, name + ".w", pooledW));
        return g.add(Binary.mul(), name, aW, aH);
    }
}
