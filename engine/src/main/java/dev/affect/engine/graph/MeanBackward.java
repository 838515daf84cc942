package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * dL/dx of {@link Mean} over one axis (kept as size 1): inputs gy, x (read for its shape only).
 * Output gx = gy broadcast along the axis, divided by its length.
 */
public record MeanBackward(int axis) implements GradientOp {

    public static final int GY = 0;
    public static final int X = 1;

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 2, 2);
        Shape y = new Mean(axis).outputShapes(List.of(inputs.get(X))).get(0);
        Op.require(inputs.get(GY).equals(y), describe() + ": gy must be " + y + ", got " + inputs.get(GY));
        return List.of(inputs.get(X));
    }

    @Override
    public String describe() {
        return "mean" + axis + "-backward";
    }
}
