package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** dL/dx of {@link Softmax}: inputs y (the forward output), gy. Output gx = y * (gy - sum(gy*y) along the axis). */
public record SoftmaxBackward(int axis) implements GradientOp {

    public static final int Y = 0;
    public static final int GY = 1;

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 2, 2);
        Op.axis(axis, inputs.get(Y).rank());
        Op.require(inputs.get(Y).equals(inputs.get(GY)), describe() + ": gy must be " + inputs.get(Y) + ", got "
                + inputs.get(GY));
        return List.of(inputs.get(Y));
    }

    @Override
    public String describe() {
        return "softmax" + axis + "-backward";
    }
}
