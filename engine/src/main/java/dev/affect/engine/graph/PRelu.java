package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Per-channel PReLU over axis 1. Inputs: x [N, C, ...], slopes [C]. */
public record PRelu() implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 2, 2);
        Shape x = inputs.get(0);
        Shape s = inputs.get(1);
        Op.require(s.rank() == 1 && x.rank() >= 2 && x.dim(1) == s.dim(0),
                "PReLU with slopes " + s + " cannot take input " + x);
        return List.of(x);
    }

    @Override
    public String describe() {
        return "prelu";
    }
}
