package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * The backward pass of a per-channel {@link PRelu}: inputs x [N, C, ...], slope [C], gy. Outputs
 * gx = gy * (x > 0 ? 1 : slope) and gslope [C] = sum of gy * min(x, 0) over all but axis 1.
 */
public record PReluBackward() implements GradientOp {

    public static final int X = 0;
    public static final int SLOPE = 1;
    public static final int GY = 2;

    @Override
    public int outputCount() {
        return 2;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 3, 3);
        Shape x = new PRelu().outputShapes(List.of(inputs.get(X), inputs.get(SLOPE))).get(0);
        Op.require(inputs.get(GY).equals(x), describe() + ": gy must be " + x + ", got " + inputs.get(GY));
        return List.of(x, inputs.get(SLOPE));
    }

    @Override
    public String describe() {
        return "prelu-backward";
    }
}
