package dev.affect.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Per-call settings of {@link AffectClient#predict(java.util.List, PredictOptions)}.
 *
 * @param model a model (pipeline) name; empty for the server's default
 * @param includeEmbedding also return each frame's 512-d embedding
 * @param timeout the call's deadline, from when it starts; {@code null} for the client's default
 * @param tasks the tasks to answer; empty = every task the pipeline has a head for
 */
public record PredictOptions(String model, boolean includeEmbedding, Duration timeout, Set<Task> tasks) {
    public PredictOptions {
        Objects.requireNonNull(model, "model");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        tasks = Set.copyOf(tasks);
    }

    /** Every task the pipeline has. */
    public PredictOptions(String model, boolean includeEmbedding, Duration timeout) {
        this(model, includeEmbedding, timeout, Set.of());
    }

    /** The default model, no embedding, the client's default timeout, every task. */
    public static PredictOptions defaults() {
        return new PredictOptions("", false, null);
    }

    public PredictOptions withModel(String newModel) {
        return new PredictOptions(newModel, includeEmbedding, timeout, tasks);
    }

    public PredictOptions withEmbedding(boolean include) {
        return new PredictOptions(model, include, timeout, tasks);
    }

    public PredictOptions withTimeout(Duration newTimeout) {
        return new PredictOptions(model, includeEmbedding, newTimeout, tasks);
    }

    public PredictOptions withTasks(Set<Task> newTasks) {
        return new PredictOptions(model, includeEmbedding, timeout, newTasks);
    }
}
