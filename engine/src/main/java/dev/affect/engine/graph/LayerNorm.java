package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Layer normalisation over the last axis (biased variance), as torch.nn.LayerNorm(D). Inputs: x, weight [D], bias [D]. */
public record LayerNorm(float eps) implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 3, 3);
        Shape x = inputs.get(0);
        Shape d = Shape.of(x.dim(-1));
        Op.require(inputs.get(1).equals(d) && inputs.get(2).equals(d), "layer norm weight and bias must be " + d);
        return List.of(x);
    }

    @Override
    public String describe() {
        return "layernorm";
    }
}
