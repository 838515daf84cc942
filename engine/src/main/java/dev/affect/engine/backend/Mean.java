package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Mean over one axis, keeping it with size 1 (AdaptiveAvgPool2d((None,1)) is Mean(3)). */
public record Mean(int axis) implements Op {

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
        Shape x = inputs.get(0);
        Op.require(axis > 0 && axis < x.rank(), "mean axis " + axis + " out of range for " + x);
        return x.withDim(axis, 1);
    }

    @Override
    public String describe() {
        return "mean" + axis;
    }
}
