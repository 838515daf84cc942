package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.List;

/** y = x W^T + b over [N, K] input, as torch.nn.Linear. weight is [M, K], bias [M] or null. */
public record Linear(Tensor weight, Tensor bias) implements Op {

    public Linear {
        Op.require(weight.shape().rank() == 2, "linear weight must be [M, K], got " + weight.shape());
        Op.require(bias == null || bias.shape().equals(Shape.of(weight.shape().dim(0))),
                "linear bias must be [" + weight.shape().dim(0) + "]");
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
        Shape x = inputs.get(0);
        Op.require(x.rank() == 2 && x.dim(1) == weight.shape().dim(1),
                "linear expects [N, " + weight.shape().dim(1) + "], got " + x);
        return Shape.of(x.dim(0), weight.shape().dim(0));
    }

    @Override
    public String describe() {
        return "linear" + weight.shape().dim(1) + "->" + weight.shape().dim(0);
    }
}
