package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** [N, d1, d2, ...] -> [N, d1*d2*...]; a view of row-major data. */
public record Flatten() implements Op {

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
        Shape x = inputs.get(0);
        return Shape.of(x.dim(0), (int) (x.numel() / Math.max(1, x.dim(0))));
    }

    @Override
    public String describe() {
        return "flatten";
    }
}
