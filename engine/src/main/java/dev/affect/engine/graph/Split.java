package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cuts the input along one axis into consecutive parts of the given sizes (torch.split with a list). */
public record Split(int axis, int[] sizes) implements CanonicalOp {

    public Split {
        sizes = sizes.clone();
        Op.require(sizes.length > 0 && Arrays.stream(sizes).allMatch(s -> s > 0), "bad split sizes " + Arrays.toString(sizes));
    }

    public static Split of(int axis, int... sizes) {
        return new Split(axis, sizes);
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    @Override
    public int outputCount() {
        return sizes.length;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Shape x = inputs.get(0);
        int a = Op.axis(axis, x.rank());
        Op.require(Arrays.stream(sizes).sum() == x.dim(a), "split sizes " + Arrays.toString(sizes) + " do not add up to "
                + x.dim(a) + " along axis " + axis + " of " + x);
        List<Shape> out = new ArrayList<>();
        for (int s : sizes) {
            out.add(x.withDim(a, s));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && s.axis == axis && Arrays.equals(s.sizes, sizes);
    }

    @Override
    public int hashCode() {
        return axis * 31 + Arrays.hashCode(sizes);
    }

    @Override
    public String describe() {
        return "split" + axis + Arrays.toString(sizes);
    }
}
