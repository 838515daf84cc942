package dev.affect.engine.graph;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * One index per batch row: data [N, T, ...] and indices [N] (I32 or I64) give out[n] = data[n, indices[n]],
 * shape [N, ...] (CLIP's text encoder takes each sequence's end-of-text token this way).
 */
public record Gather() implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 2, 2);
        Shape x = inputs.get(0);
        Shape idx = inputs.get(1);
        Op.require(x.rank() >= 2, "gather data must be [N, T, ...], got " + x);
        Op.require(idx.equals(Shape.of(x.dim(0))), "gather indices must be [" + x.dim(0) + "], got " + idx);
        int[] out = new int[x.rank() - 1];
        out[0] = x.dim(0);
        for (int i = 2; i < x.rank(); i++) {
            out[i - 1] = x.dim(i);
        }
        return List.of(Shape.of(out));
    }

    @Override
    public List<DType> outputDtypes(List<DType> inputs) {
        Op.require(inputs.get(1) == DType.I32 || inputs.get(1) == DType.I64, "gather indices must be I32 or I64");
        return List.of(inputs.get(0));
    }

    @Override
    public String describe() {
        return "gather";
    }
}
