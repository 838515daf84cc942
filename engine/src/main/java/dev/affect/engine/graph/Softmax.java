package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Softmax along one axis (negative counts from the end). */
public record Softmax(int axis) implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Op.axis(axis, inputs.get(0).rank());
        return List.of(inputs.get(0));
    }

    @Override
    public String describe() {
        return "softmax" + axis;
    }
}
