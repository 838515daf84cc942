package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Mean over one axis, kept with size 1 (AdaptiveAvgPool2d((None, 1)) is Mean(3)). */
public record Mean(int axis) implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Shape x = inputs.get(0);
        return List.of(x.withDim(Op.axis(axis, x.rank()), 1));
    }

    @Override
    public String describe() {
        return "mean" + axis;
    }
}
