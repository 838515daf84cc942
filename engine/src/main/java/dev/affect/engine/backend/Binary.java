package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Elementwise binary op with NumPy broadcasting between inputs of equal rank. */
public record Binary(Kind kind) implements Op {

    public enum Kind {
        ADD, MUL, MAX;

        public float apply(float a, float b) {
            return switch (this) {
                case ADD -> a + b;
                case MUL -> a * b;
                case MAX -> Math.max(a, b);
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
    public int arity() {
        return 2;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
        return broadcast(inputs.get(0), inputs.get(1));
    }

    public static Shape broadcast(Shape a, Shape b) {
        Op.require(a.rank() == b.rank(), "cannot broadcast " + a + " with " + b + ": ranks differ");
        int[] out = new int[a.rank()];
        for (int i = 0; i < out.length; i++) {
            int x = a.dim(i);
            int y = b.dim(i);
            Op.require(x == y || x == 1 || y == 1, "cannot broadcast " + a + " with " + b);
            out[i] = Math.max(x, y);
        }
        return Shape.of(out);
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase();
    }
}
