package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * Backpropagation through time for {@link Lstm}: inputs are the forward's seven (x, h0, c0, w_ih,
 * w_hh, b_ih, b_hh) followed by gy [N, T, H] and, optionally, gh_T and gc_T [N, H] (absent = zero,
 * as when only the sequence output feeds the loss). Outputs gx, gh0, gc0, gw_ih, gw_hh, gb_ih, gb_hh;
 * the two bias gradients are equal. Implementations may recompute the forward gates.
 */
public record LstmBackward() implements GradientOp {

    public static final int GY = 7;
    public static final int GH_T = 8;
    public static final int GC_T = 9;

    public static final int GX = 0;
    public static final int GH0 = 1;
    public static final int GC0 = 2;
    public static final int GW_IH = 3;
    public static final int GW_HH = 4;
    public static final int GB_IH = 5;
    public static final int GB_HH = 6;

    @Override
    public int outputCount() {
        return 7;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.require(inputs.size() == 8 || inputs.size() == 10, describe() + " takes 8 or 10 inputs, got " + inputs.size());
        List<Shape> y = new Lstm().outputShapes(inputs.subList(0, 7));
        Op.require(inputs.get(GY).equals(y.get(0)), describe() + ": gy must be " + y.get(0) + ", got " + inputs.get(GY));
        if (inputs.size() == 10) {
            Op.require(inputs.get(GH_T).equals(y.get(1)) && inputs.get(GC_T).equals(y.get(2)),
                    describe() + ": gh_T and gc_T must be " + y.get(1));
        }
        return List.copyOf(inputs.subList(0, 7));
    }

    @Override
    public String describe() {
        return "lstm-backward";
    }
}
