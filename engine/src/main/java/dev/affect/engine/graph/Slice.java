package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Elements start, start+step, ... below end along one axis (Python's x[start:end:step], clamped). */
public record Slice(int axis, int start, int end, int step) implements CanonicalOp {

    public Slice {
        Op.require(step > 0, "slice step must be positive, got " + step);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Shape x = inputs.get(0);
        int a = Op.axis(axis, x.rank());
        int from = begin(x.dim(a));
        int to = stop(x.dim(a));
        int n = to > from ? (to - from + step - 1) / step : 0;
        Op.require(n > 0, "slice " + describe() + " of " + x + " is empty");
        return List.of(x.withDim(a, n));
    }

    /** The first index taken, for an axis of this size. */
    public int begin(int size) {
        return clamp(start < 0 ? start + size : start, size);
    }

    public int stop(int size) {
        return clamp(end < 0 ? end + size : end, size);
    }

    private static int clamp(int i, int size) {
        return Math.max(0, Math.min(size, i));
    }

    @Override
    public String describe() {
        return "slice" + axis + "[" + start + ":" + end + (step != 1 ? ":" + step : "") + "]";
    }
}
