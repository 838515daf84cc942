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
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.List;
import java.util.Optional;

/**
 * The heads as trained (fixtures/training README, "FC head" and "LSTM head"): a batch of B windows of
 * T consecutive embeddings, {@value #X} f32[B, T, D], each window an independent sequence whose LSTM
 * starts from {@value #H0} = {@value #C0} = 0 (state inputs [B, H]: leave them unset and the
 * training step zero-fills them). Outputs, one row per frame b*T + t: {@value #RAW} [B*T, n], the
 * task layer's output (what the CE and BCE losses read), and {@value #VALUE} [B*T, n], the task's
 * activation of it (tanh for VA, which the CCC loss reads; softmax; sigmoid). Parameters carry the
 * state_dict keys of the serving heads, so a trained store loads as a {@link Head}.
 */
public final class HeadTrainingGraphs {
    public static final String X = "x";
    public static final String H0 = "h0";
    public static final String C0 = "c0";
    public static final String RAW = "raw";
    public static final String VALUE = "value";
    /** Embedding width of DDAMFN, the heads' input. */
    public static final int EMBEDDING = 512;
    /** fc's width. */
    public static final int FC = 512;
    /** The LSTM's hidden size. */
    public static final int HIDDEN = 128;

    private HeadTrainingGraphs() {
    }

    /** An FC head for a task: fc 512->512, ReLU, task layer, over windows of {@code window} frames. */
    public static Graph fc(Task task, int window) {
        return build(new HeadSpec(false, task.key(), Optional.of(task), EMBEDDING, 0, FC, task.outputSize()), window);
    }

    /** An LSTM head for a task: LSTM 512->128 from zero state, fc 128->512, ReLU, task layer. */
    public static Graph lstm(Task task, int window) {
        return build(new HeadSpec(true, task.key(), Optional.of(task), EMBEDDING, HIDDEN, FC, task.outputSize()), window);
    }

    /** The training graph of the head a state_dict holds (any sizes; a raw head has no {@value #VALUE}). */
    public static Graph forStateDict(StateDict stateDict, int window) {
        return build(HeadSpec.read(HeadSpec.normalize(stateDict)), window);
    }

    private static Graph build(HeadSpec s, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a training window needs at least one frame, got " + window);
        }
        GraphBuilder b = new GraphBuilder();
        Value x = b.input(X, TensorType.batched(DType.F32, window, s.inputSize()));
        Value features = x;
        if (s.lstm()) {
            int h = s.hiddenSize();
            Value h0 = b.state(H0, TensorType.batched(DType.F32, h));
            Value c0 = b.state(C0, TensorType.batched(DType.F32, h));
            List<Value> out = b.addMulti(new Lstm(), List.of("lstm_y", "lstm_h", "lstm_c"), x, h0, c0,
                    b.parameter(HeadSpec.W_IH, Shape.of(4 * h, s.inputSize())),
                    b.parameter(HeadSpec.W_HH, Shape.of(4 * h, h)),
                    b.parameter(HeadSpec.B_IH, Shape.of(4 * h)),
                    b.parameter(HeadSpec.B_HH, Shape.of(4 * h)));
            features = out.get(0);
        }
        int k = features.type().dims()[2];
        Value fc = b.add(new Linear(true), "fc", features, b.parameter(HeadSpec.FC_W, Shape.of(s.fcSize(), k)),
                b.parameter(HeadSpec.FC_B, Shape.of(s.fcSize())));
        Value relu = b.add(Activation.of(Activation.Kind.RELU), "fc_relu", fc);
        Value layer = b.add(new Linear(true), s.key(), relu,
                b.parameter(s.weight(), Shape.of(s.outputSize(), s.fcSize())),
                b.parameter(s.bias(), Shape.of(s.outputSize())));
        Value raw = b.add(Reshape.of(-1, s.outputSize()), s.key() + "_rows", layer);
        b.output(RAW, raw);
        s.task().ifPresent(task -> b.output(VALUE, switch (task.activation()) {
            case TANH -> b.add(Activation.of(Activation.Kind.TANH), s.key() + "_tanh", raw);
            case SIGMOID -> b.add(Activation.of(Activation.Kind.SIGMOID), s.key() + "_sigmoid", raw);
            case SOFTMAX -> b.add(new Softmax(-1), s.key() + "_softmax", raw);
        }));
        return b.build();
    }
}
