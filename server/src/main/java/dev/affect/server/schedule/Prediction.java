package dev.affect.server.schedule;

import java.util.List;

/** The answer to a {@link PredictionRequest}: the model that ran and one result per frame, in order. */
public record Prediction(String model, List<FramePrediction> frames) {
    public Prediction {
        frames = List.copyOf(frames);
    }
}
