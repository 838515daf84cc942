package dev.affect.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call settings of {@link AffectClient#predict(java.util.List, PredictOptions)}.
 *
 * @param model a model name; empty for the server's default
 * @param includeEmbedding also return each frame's 512-d embedding
 * @param timeout the call's deadline, from when it starts; {@code null} for the client's default
 */
public record PredictOptions(String model, boolean includeEmbedding, Duration timeout) {
    public PredictOptions {
        Objects.requireNonNull(model, "model");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** The default model, no embedding, the client's default timeout. */
    public static PredictOptions defaults() {
        return new PredictOptions("", false, null);
    }

    public PredictOptions withModel(String newModel) {
        return new PredictOptions(newModel, includeEmbedding, timeout);
    }

    public PredictOptions withEmbedding(boolean include) {
        return new PredictOptions(model, include, timeout);
    }

    public PredictOptions withTimeout(Duration newTimeout) {
        return new PredictOptions(model, includeEmbedding, newTimeout);
    }
}
