package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** torch.nn.Linear over any rank: x [..., K], weight [M, K], bias [M] when {@code bias}; y [..., M]. */
public record Linear(boolean bias) implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, bias ? 3 : 2, bias ? 3 : 2);
        Shape x = inputs.get(0);
        Shape w = inputs.get(1);
        Op.require(w.rank() == 2, "linear weight must be [M, K], got " + w);
        Op.require(x.rank() >= 1 && x.dim(-1) == w.dim(1), "linear expects [..., " + w.dim(1) + "], got " + x);
        Op.require(!bias || inputs.get(2).equals(Shape.of(w.dim(0))), "linear bias must be [" + w.dim(0) + "]");
        return List.of(x.withDim(x.rank() - 1, w.dim(0)));
    }

    @Override
    public String describe() {
        return "linear" + (bias ? "+bias" : "");
    }
}
