package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * dL/dx of a {@link Conv2d}: inputs gy [N, O, OH, OW], w [O, C/g, KH, KW], x [N, C, H, W] (read
 * for its shape only: a strided convolution loses the input size). Output gx, shaped as x.
 */
public record Conv2dBackwardData(Conv2d forward) implements GradientOp {

    public static final int GY = 0;
    public static final int W = 1;
    public static final int X = 2;

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 3, 3);
        Shape x = inputs.get(X);
        Shape expected = forward.outputShapes(forward.bias()
                ? List.of(x, inputs.get(W), Shape.of(inputs.get(W).dim(0))) : List.of(x, inputs.get(W))).get(0);
        Op.require(inputs.get(GY).equals(expected), describe() + ": gy must be " + expected + ", got " + inputs.get(GY));
        return List.of(x);
    }

    @Override
    public String describe() {
        return forward.describe() + "-backward-data";
    }
}
