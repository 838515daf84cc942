package dev.affect.server.schedule;

import java.util.List;
import java.util.Objects;

/**
 * Frames to classify with one model.
 *
 * @param model a registered model name; empty selects the default model
 * @param frames in the order results are returned
 * @param includeEmbedding also return each frame's 512-d embedding
 */
public record PredictionRequest(String model, List<FrameInput> frames, boolean includeEmbedding) {
    public PredictionRequest {
        Objects.requireNonNull(model, "model");
        frames = List.copyOf(frames);
    }
}
