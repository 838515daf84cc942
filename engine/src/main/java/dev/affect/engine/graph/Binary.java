package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Elementwise binary op with NumPy broadcasting, across different ranks too. */
public record Binary(Kind kind) implements CanonicalOp {

    public enum Kind {
        ADD, SUB, MUL, DIV, MAX, MIN;

        public float apply(float a, float b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }
    }

    public static Binary add() {
        return new Binary(Kind.ADD);
    }

    public static Binary mul() {
        return new Binary(Kind.MUL);
    }

    public static Binary max() {
        return new Binary(Kind.MAX);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 2, 2);
        return List.of(broadcast(inputs.get(0), inputs.get(1)));
    }

    /** NumPy's rule: align trailing axes; each pair must be equal or contain a 1. */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int x = i - (rank - a.rank()) >= 0 ? a.dim(i - (rank - a.rank())) : 1;
            int y = i - (rank - b.rank()) >= 0 ? b.dim(i - (rank - b.rank())) : 1;
            Op.require(x == y || x == 1 || y == 1, "cannot broadcast " + a + " with " + b);
            out[i] = Math.max(x, y);
        }
        return Shape.of(out);
    }

    /** {@code s} as a rank-{@code rank} shape with leading ones (the view broadcasting uses). */
    public static Shape padLeft(Shape s, int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - s.rank());
            d[i] = j >= 0 ? s.dim(j) : 1;
        }
        return Shape.of(d);
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase();
    }
}
