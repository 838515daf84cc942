package dev.affect.engine.face.track;

import dev.affect.engine.InvalidInputException;

/** One detected face of a frame: its box and the detector's score (used to break ties). */
public record Detection(FaceBox box, float score) {
    public Detection {
        if (box == null) {
            throw new InvalidInputException("box", "missing");
        }
        if (!Float.isFinite(score)) {
            throw new InvalidInputException("score", "must be finite, got " + score);
        }
    }

    public Detection(float x1, float y1, float x2, float y2, float score) {
        this(new FaceBox(x1, y1, x2, y2), score);
    }
}
