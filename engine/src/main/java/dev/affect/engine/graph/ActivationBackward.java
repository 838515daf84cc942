package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * dL/dx of a pointwise {@link Activation}: inputs x (the forward input), gy. Output gx = gy * f'(x);
 * ReLU's and h-swish's kinks take torch's one-sided derivatives (ReLU' (0) = 0, relu6 grad 0 at
 * its kinks).
 */
public record ActivationBackward(Activation forward) implements GradientOp {

    public static final int X = 0;
    public static final int GY = 1;

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 2, 2);
        Op.require(inputs.get(X).equals(inputs.get(GY)), describe() + ": gy must be " + inputs.get(X) + ", got "
                + inputs.get(GY));
        return List.of(inputs.get(X));
    }

    @Override
    public String describe() {
        return forward.kind().name().toLowerCase() + "-backward";
    }
}
