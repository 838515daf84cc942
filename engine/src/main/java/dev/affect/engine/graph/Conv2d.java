package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * 2-D convolution over NCHW input with symmetric zero padding. Inputs: x [N, C, H, W],
 * weight [O, C/groups, kH, kW] and, when {@code bias}, bias [O].
 */
public record Conv2d(int strideH, int strideW, int padH, int padW, int groups, boolean bias) implements CanonicalOp {

    public Conv2d {
        Op.require(strideH > 0 && strideW > 0 && padH >= 0 && padW >= 0 && groups > 0, "bad conv geometry");
    }

    public static Conv2d of(int stride, int pad, int groups, boolean bias) {
        return new Conv2d(stride, stride, pad, pad, groups, bias);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, bias ? 3 : 2, bias ? 3 : 2);
        return List.of(convOutput(inputs.get(0), inputs.get(1), bias ? inputs.get(2) : null,
                strideH, strideW, padH, padW, groups));
    }

    static Shape convOutput(Shape x, Shape w, Shape b, int strideH, int strideW, int padH, int padW, int groups) {
        Op.require(x.rank() == 4, "conv input must be NCHW, got " + x);
        Op.require(w.rank() == 4, "conv weight must be [O, I/groups, kH, kW], got " + w);
        Op.require(w.dim(0) % groups == 0, w.dim(0) + " output channels do not split into " + groups + " groups");
        Op.require(x.dim(1) == w.dim(1) * groups, "conv expects " + w.dim(1) * groups + " input channels, got " + x);
        Op.require(b == null || b.equals(Shape.of(w.dim(0))), "conv bias must be [" + w.dim(0) + "], got " + b);
        int ho = (x.dim(2) + 2 * padH - w.dim(2)) / strideH + 1;
        int wo = (x.dim(3) + 2 * padW - w.dim(3)) / strideW + 1;
        Op.require(x.dim(2) + 2 * padH >= w.dim(2) && x.dim(3) + 2 * padW >= w.dim(3) && ho > 0 && wo > 0,
                "conv kernel " + w.dim(2) + "x" + w.dim(3) + " larger than padded input " + x);
        return Shape.of(x.dim(0), w.dim(0), ho, wo);
    }

    @Override
    public String describe() {
        return "conv/s" + strideH + (strideW != strideH ? "x" + strideW : "") + "/p" + padH
                + (padW != padH ? "x" + padW : "") + (groups > 1 ? "/g" + groups : "") + (bias ? "+bias" : "");
    }
}
