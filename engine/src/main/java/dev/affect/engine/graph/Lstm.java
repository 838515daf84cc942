package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * One LSTM layer, batch first, as torch.nn.LSTM: gate rows ordered i, f, g, o, both biases added.
 * Inputs: x [N, T, D], h0 [N, H], c0 [N, H], weight_ih [4H, D], weight_hh [4H, H], bias_ih [4H],
 * bias_hh [4H]. Outputs: y [N, T, H] (every h_t), h_T [N, H], c_T [N, H].
 */
public record Lstm() implements CanonicalOp {

    public static final int X = 0;
    public static final int H0 = 1;
    public static final int C0 = 2;
    public static final int W_IH = 3;
    public static final int W_HH = 4;
    public static final int B_IH = 5;
    public static final int B_HH = 6;

    @Override
    public int outputCount() {
        return 3;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 7, 7);
        Shape x = inputs.get(X);
        Op.require(x.rank() == 3, "LSTM input must be [N, T, D], got " + x);
        Shape wih = inputs.get(W_IH);
        Op.require(wih.rank() == 2 && wih.dim(0) % 4 == 0 && wih.dim(1) == x.dim(2),
                "weight_ih must be [4H, " + x.dim(2) + "], got " + wih);
        int h = wih.dim(0) / 4;
        Shape state = Shape.of(x.dim(0), h);
        Op.require(inputs.get(H0).equals(state) && inputs.get(C0).equals(state), "LSTM state must be " + state
                + ", got " + inputs.get(H0) + " and " + inputs.get(C0));
        Op.require(inputs.get(W_HH).equals(Shape.of(4 * h, h)), "weight_hh must be [" + 4 * h + ", " + h + "]");
        Op.require(inputs.get(B_IH).equals(Shape.of(4 * h)) && inputs.get(B_HH).equals(Shape.of(4 * h)),
                "LSTM biases must be [" + 4 * h + "]");
        return List.of(Shape.of(x.dim(0), x.dim(1), h), state, state);
    }

    @Override
    public String describe() {
        return "lstm";
    }
}
