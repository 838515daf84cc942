package dev.affect.engine.model.heads;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.Softmax;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.List;

/** The graphs of a head on the graph IR, with the names of their inputs, state and outputs. */
final class HeadGraphs {
    /** Embeddings, one row per frame: [N, D]. */
    static final String X = "x";
    /** LSTM state fed in: [N, H] per row (step) or [1, H] (sequence). */
    static final String H0 = "h0";
    static final String C0 = "c0";
    /** The task layer's output before the task activation: [N, n]. */
    static final String RAW = "raw";
    /** The task's values after its activation (absent for a raw head): [N, n]. */
    static final String VALUE = "value";
    /** LSTM state after the last time step, same shape as h0/c0. */
    static final String H = "h";
    static final String C = "c";

    private HeadGraphs() {
    }

    /** fc, ReLU, task layer (and activation) per row: x [N, D]. */
    static Graph fc(HeadSpec s) {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input(X, TensorType.batched(DType.F32, s.inputSize()));
        tail(b, s, x);
        return b.build();
    }

    /**
     * One LSTM time step for N rows that may belong to N different sequences, each with its own state:
     * x [N, D], h0/c0 [N, H] in; raw/value [N, n], h/c [N, H] out.
     */
    static Graph lstmStep(HeadSpec s) {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input(X, TensorType.batched(DType.F32, s.inputSize()));
        Value h0 = b.state(H0, TensorType.batched(DType.F32, s.hiddenSize()));
        Value c0 = b.state(C0, TensorType.batched(DType.F32, s.hiddenSize()));
        Value seq = b.add(Reshape.of(0, 1, s.inputSize()), "x_steps", x);
        lstm(b, s, seq, h0, c0);
        return b.build();
    }

    /**
     * One sequence of N consecutive frames (time is the symbolic dimension): x [N, D], h0/c0 [1, H]
     * in; raw/value [N, n], h/c [1, H] (after the last frame) out.
     */
    static Graph lstmSequence(HeadSpec s) {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input(X, TensorType.batched(DType.F32, s.inputSize()));
        Value h0 = b.state(H0, TensorType.f32(1, s.hiddenSize()));
        Value c0 = b.state(C0, TensorType.f32(1, s.hiddenSize()));
        Value seq = b.add(Reshape.of(1, -1, s.inputSize()), "x_sequence", x);
        lstm(b, s, seq, h0, c0);
        return b.build();
    }

    private static void lstm(GraphBuilder b, HeadSpec s, Value seq, Value h0, Value c0) {
        int h = s.hiddenSize();
        List<Value> out = b.addMulti(new Lstm(), List.of("lstm_y", "lstm_h", "lstm_c"), seq, h0, c0,
                b.parameter(HeadSpec.W_IH, Shape.of(4 * h, s.inputSize())),
                b.parameter(HeadSpec.W_HH, Shape.of(4 * h, h)),
                b.parameter(HeadSpec.B_IH, Shape.of(4 * h)),
                b.parameter(HeadSpec.B_HH, Shape.of(4 * h)));
        Value rows = b.add(Reshape.of(-1, h), "lstm_rows", out.get(0));
        tail(b, s, rows);
        b.output(H, out.get(1));
        b.output(C, out.get(2));
    }

    /** fc, ReLU, task layer and the task activation over rows [N, K]. */
    private static void tail(GraphBuilder b, HeadSpec s, Value rows) {
        int k = rows.type().dims()[1];
        Value fc = b.add(new Linear(true), "fc", rows, b.parameter(HeadSpec.FC_W, Shape.of(s.fcSize(), k)),
                b.parameter(HeadSpec.FC_B, Shape.of(s.fcSize())));
        Value relu = b.add(Activation.of(Activation.Kind.RELU), "fc_relu", fc);
        Value raw = b.add(new Linear(true), s.key(), relu, b.parameter(s.weight(), Shape.of(s.outputSize(), s.fcSize())),
                b.parameter(s.bias(), Shape.of(s.outputSize())));
        b.output(RAW, raw);
        if (s.task().isPresent()) {
            Value value = switch (s.task().get().activation()) {
                case TANH -> b.add(Activation.of(Activation.Kind.TANH), s.key() + "_tanh", raw);
                case SIGMOID -> b.add(Activation.of(Activation.Kind.SIGMOID), s.key() + "_sigmoid", raw);
                case SOFTMAX -> b.add(new Softmax(-1), s.key() + "_softmax", raw);
            };
            b.output(VALUE, value);
        }
    }
}
