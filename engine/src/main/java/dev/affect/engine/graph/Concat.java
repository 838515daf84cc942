package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Joins inputs along one axis; every other axis must agree. */
public record Concat(int axis) implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.require(!inputs.isEmpty(), "concat needs at least one input");
        Shape first = inputs.get(0);
        int a = Op.axis(axis, first.rank());
        int total = 0;
        for (Shape s : inputs) {
            Op.require(s.rank() == first.rank(), "concat of different ranks: " + inputs);
            for (int i = 0; i < s.rank(); i++) {
                Op.require(i == a || s.dim(i) == first.dim(i), "concat along " + axis + " of " + inputs);
            }
            total += s.dim(a);
        }
        return List.of(first.withDim(a, total));
    }

    @Override
    public String describe() {
        return "concat" + axis;
    }
}
