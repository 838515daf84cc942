package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * Inference-mode batch normalisation over channel axis 1: (x - mean) / sqrt(var + eps) * weight + bias.
 * Inputs: x [N, C, ...], running mean, running var, weight, bias (each [C]).
 */
public record BatchNorm(float eps) implements CanonicalOp {

    /** PyTorch's default. */
    public static final float DEFAULT_EPS = 1e-5f;

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 5, 5);
        return List.of(checked(inputs));
    }

    static Shape checked(List<Shape> inputs) {
        Shape x = inputs.get(0);
        Op.require(x.rank() >= 2, "batch norm input must be [N, C, ...], got " + x);
        Shape c = Shape.of(x.dim(1));
        for (int i = 1; i < 5; i++) {
            Op.require(inputs.get(i).equals(c), "batch norm parameter " + i + " must be " + c + ", got " + inputs.get(i));
        }
        return x;
    }

    @Override
    public String describe() {
        return "batchnorm";
    }
}
