package dev.affect.engine.model.heads;

import java.util.List;
import java.util.Optional;

/**
 * The ABAW frame-level tasks a head can be trained for. A head's task layer is named by the task's
 * state_dict key ({@code va.weight}, {@code expr.weight}, {@code au.weight}); a task layer with any
 * other name makes a raw head whose values are returned as they are.
 */
public enum Task {
    /** Valence and arousal in [-1, 1]: tanh of the task layer. */
    VA("va", Activation.TANH, List.of("valence", "arousal")),
    /** Eight expression probabilities (softmax of the logits), in the Aff-Wild2 annotation order. */
    EXPR("expr", Activation.SOFTMAX,
            List.of("Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other")),
    /** Twelve action-unit probabilities (sigmoid of the logits), in the Aff-Wild2 annotation order. */
    AU("au", Activation.SIGMOID,
            List.of("AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"));

    /** What turns the task layer's raw output into the task's values. */
    public enum Activation {
        TANH, SOFTMAX, SIGMOID
    }

    private final String key;
    private final Activation activation;
    private final List<String> labels;

    Task(String key, Activation activation, List<String> labels) {
        this.key = key;
        this.activation = activation;
        this.labels = labels;
    }

    /** The state_dict prefix of the task layer, also the name of the task's pipeline output. */
    public String key() {
        return key;
    }

    public Activation activation() {
        return activation;
    }

    /** One name per output column. */
    public List<String> labels() {
        return labels;
    }

    public int outputSize() {
        return labels.size();
    }

    /** The task whose layer has this state_dict prefix, if any (exact, lower case). */
    public static Optional<Task> forKey(String key) {
        for (Task t : values()) {
            if (t.key.equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
