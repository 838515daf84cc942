package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/** Permutes axes: output axis i is input axis perm[i] (torch's permute). */
public record Transpose(int[] perm) implements CanonicalOp {

    public Transpose {
        perm = perm.clone();
        int[] sorted = perm.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            Op.require(sorted[i] == i, "not a permutation: " + Arrays.toString(perm));
        }
    }

    public static Transpose of(int... perm) {
        return new Transpose(perm);
    }

    @Override
    public int[] perm() {
        return perm.clone();
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Shape x = inputs.get(0);
        Op.require(x.rank() == perm.length, "permutation " + Arrays.toString(perm) + " does not fit " + x);
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = x.dim(perm[i]);
        }
        return List.of(Shape.of(out));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transpose t && Arrays.equals(t.perm, perm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(perm);
    }

    @Override
    public String describe() {
        return "transpose" + Arrays.toString(perm);
    }
}
