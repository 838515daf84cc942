package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * Batched matrix product {@code op(a) @ op(b)} over the last two axes, with {@code op} an optional
 * transpose; the leading (batch) axes broadcast by NumPy rules. a [..., M, K], b [..., K, N].
 */
public record MatMul(boolean transA, boolean transB) implements CanonicalOp {

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 2, 2);
        Shape a = inputs.get(0);
        Shape b = inputs.get(1);
        Op.require(a.rank() >= 2 && b.rank() >= 2, "matmul needs rank >= 2, got " + a + " and " + b);
        int m = transA ? a.dim(-1) : a.dim(-2);
        int ka = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2);
        int n = transB ? b.dim(-2) : b.dim(-1);
        Op.require(ka == kb, "matmul inner dimensions differ: " + a + (transA ? "^T" : "") + " @ " + b + (transB ? "^T" : ""));
        Shape batch = Binary.broadcast(leading(a), leading(b));
        int[] out = new int[batch.rank() + 2];
        for (int i = 0; i < batch.rank(); i++) {
            out[i] = batch.dim(i);
        }
        out[batch.rank()] = m;
        out[batch.rank() + 1] = n;
        return List.of(Shape.of(out));
    }

    /** The batch axes of a matrix operand ([] for a plain matrix). */
    public static Shape leading(Shape s) {
        int[] d = new int[s.rank() - 2];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return Shape.of(d);
    }

    @Override
    public String describe() {
        return "matmul" + (transA ? "/tA" : "") + (transB ? "/tB" : "");
    }
}
