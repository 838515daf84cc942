package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * The backward pass of {@link Linear} (y = x w^T + b over the last axis): inputs x [..., K],
 * w [M, K], gy [..., M]. Outputs gx = gy w, gw = gy^T x (rows of every leading axis summed), and,
 * with a bias, gb = the sum of gy's rows.
 */
public record LinearBackward(boolean bias) implements GradientOp {

    public static final int X = 0;
    public static final int W = 1;
    public static final int GY = 2;

    @Override
    public int outputCount() {
        return bias ? 3 : 2;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 3, 3);
        Shape x = inputs.get(X);
        Shape w = inputs.get(W);
        Shape y = new Linear(false).outputShapes(List.of(x, w)).get(0);
        Op.require(inputs.get(GY).equals(y), describe() + ": gy must be " + y + ", got " + inputs.get(GY));
        return bias ? List.of(x, w, Shape.of(w.dim(0))) : List.of(x, w);
    }

    @Override
    public String describe() {
        return "linear-backward" + (bias ? "+bias" : "");
    }
}
