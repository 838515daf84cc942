package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.List;

/** Inference-mode batch normalisation over channel axis 1: (x - mean) / sqrt(var + eps) * weight + bias. */
public record BatchNorm(Tensor mean, Tensor variance, Tensor weight, Tensor bias, float eps) implements Op {

    public BatchNorm {
        int c = mean.shape().dim(0);
        for (Tensor t : List.of(mean, variance, weight, bias)) {
            Op.require(t.shape().equals(Shape.of(c)), "batch norm parameters must all be [" + c + "]");
        }
    }

    public int channels() {
        return mean.shape().dim(0);
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
        Shape x = inputs.get(0);
        Op.require(x.rank() >= 2 && x.dim(1) == channels(), "batch norm over " + channels() + " channels cannot take " + x);
        return x;
    }

    @Override
    public String describe() {
        return "batchnorm" + channels();
    }
}
