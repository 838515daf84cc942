package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * dL/dw (and dL/db when the convolution has a bias) of a {@link Conv2d}: inputs x [N, C, H, W],
 * gy [N, O, OH, OW], w [O, C/g, KH, KW] (read for its shape only). Outputs gw shaped as w, then
 * gb [O] = the sum of gy over N, OH and OW.
 */
public record Conv2dBackwardWeights(Conv2d forward) implements GradientOp {

    public static final int X = 0;
    public static final int GY = 1;
    public static final int W = 2;

    @Override
    public int outputCount() {
        return forward.bias() ? 2 : 1;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 3, 3);
        Shape w = inputs.get(W);
        Shape expected = forward.outputShapes(forward.bias()
                ? List.of(inputs.get(X), w, Shape.of(w.dim(0))) : List.of(inputs.get(X), w)).get(0);
        Op.require(inputs.get(GY).equals(expected), describe() + ": gy must be " + expected + ", got " + inputs.get(GY));
        return forward.bias() ? List.of(w, Shape.of(w.dim(0))) : List.of(w);
    }

    @Override
    public String describe() {
        return forward.describe() + "-backward-weights";
    }
}
