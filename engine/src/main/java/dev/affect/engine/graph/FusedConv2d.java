package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * A convolution with its epilogue: {@code y = act(conv(x, w) + b) + residual}. Inputs in order:
 * x, weight, bias (always; a pass folds BatchNorm into it), then the PReLU slopes [O] when
 * {@code activation} is PReLU, then the residual [N, O, Ho, Wo] when {@code residual}.
 *
 * @param activation null for none; {@link Activation} kinds, or {@link #PRELU}
 */
public record FusedConv2d(int strideH, int strideW, int padH, int padW, int groups, String activation, float alpha,
                          boolean residual) implements FusedOp {

    /** The activation name of a per-channel PReLU, whose slopes are an extra input. */
    public static final String PRELU = "prelu";

    public FusedConv2d {
        Op.require(strideH > 0 && strideW > 0 && padH >= 0 && padW >= 0 && groups > 0, "bad conv geometry");
        Op.require(activation == null || activation.equals(PRELU) || Activation.Kind.valueOf(activation) != null,
                "unknown activation " + activation);
    }

    public static FusedConv2d of(Conv2d c) {
        return new FusedConv2d(c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(), null, 0f, false);
    }

    public FusedConv2d withActivation(String kind, float newAlpha) {
        return new FusedConv2d(strideH, strideW, padH, padW, groups, kind, newAlpha, residual);
    }

    public FusedConv2d withResidual() {
        return new FusedConv2d(strideH, strideW, padH, padW, groups, activation, alpha, true);
    }

    public boolean isPrelu() {
        return PRELU.equals(activation);
    }

    /** The activation as a canonical op, or null for none or PReLU. */
    public Activation pointwise() {
        return activation == null || isPrelu() ? null : new Activation(Activation.Kind.valueOf(activation), alpha);
    }

    public int slopeInput() {
        return isPrelu() ? 3 : -1;
    }

    public int residualInput() {
        return residual ? (isPrelu() ? 4 : 3) : -1;
    }

    public int inputCount() {
        return 3 + (isPrelu() ? 1 : 0) + (residual ? 1 : 0);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, inputCount(), inputCount());
        Shape y = Conv2d.convOutput(inputs.get(0), inputs.get(1), inputs.get(2), strideH, strideW, padH, padW, groups);
        if (isPrelu()) {
            Op.require(inputs.get(3).equals(Shape.of(y.dim(1))), "PReLU slopes must be [" + y.dim(1) + "]");
        }
        if (residual) {
            Op.require(inputs.get(residualInput()).equals(y), "residual " + inputs.get(residualInput())
                    + " does not match conv output " + y);
        }
        return List.of(y);
    }

    @Override
    public String describe() {
        return "fused-conv/s" + strideH + "/p" + padH + (groups > 1 ? "/g" + groups : "") + "+bias"
                + (activation != null ? "+" + activation.toLowerCase() : "") + (residual ? "+residual" : "");
    }
}
