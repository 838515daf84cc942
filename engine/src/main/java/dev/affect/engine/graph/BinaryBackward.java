package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * The backward pass of a broadcasting {@link Binary}: inputs a, b, gy (shaped as the broadcast
 * result). Outputs ga shaped as a and gb shaped as b, each summed over the axes its operand was
 * broadcast along. MAX and MIN route gy to the winner and split it in half on ties, as torch's
 * maximum/minimum do.
 */
public record BinaryBackward(Binary.Kind kind) implements GradientOp {

    public static final int A = 0;
    public static final int B = 1;
    public static final int GY = 2;

    @Override
    public int outputCount() {
        return 2;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 3, 3);
        Shape y = Binary.broadcast(inputs.get(A), inputs.get(B));
        Op.require(inputs.get(GY).equals(y), describe() + ": gy must be " + y + ", got " + inputs.get(GY));
        return List.of(inputs.get(A), inputs.get(B));
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase() + "-backward";
    }
}
