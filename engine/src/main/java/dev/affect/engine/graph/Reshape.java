package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/** A new shape for the same row-major data: 0 copies the input's dimension there, one -1 is inferred (ONNX rules). */
public record Reshape(int[] dims) implements CanonicalOp {

    public Reshape {
        dims = dims.clone();
        Op.require(Arrays.stream(dims).filter(d -> d == -1).count() <= 1, "reshape may infer one dimension only");
        Op.require(Arrays.stream(dims).allMatch(d -> d >= -1), "bad reshape " + Arrays.toString(dims));
    }

    public static Reshape of(int... dims) {
        return new Reshape(dims);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Shape x = inputs.get(0);
        int[] out = new int[dims.length];
        long known = 1;
        int infer = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                infer = i;
                continue;
            }
            Op.require(dims[i] != 0 || i < x.rank(), "reshape copies axis " + i + " that " + x + " lacks");
            out[i] = dims[i] == 0 ? x.dim(i) : dims[i];
            known *= out[i];
        }
        if (infer >= 0) {
            Op.require(known > 0 && x.numel() % known == 0, "cannot reshape " + x + " to " + Arrays.toString(dims));
            out[infer] = (int) (x.numel() / known);
        }
        Shape y = Shape.of(out);
        Op.require(y.numel() == x.numel(), "cannot reshape " + x + " to " + y);
        return List.of(y);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reshape r && Arrays.equals(r.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String describe() {
        return "reshape" + Arrays.toString(dims);
    }
}
