package dev.affect.engine.model.retinaface;

import java.util.Arrays;

/**
 * One face in original-image pixels: box corners (x1, y1) top-left and (x2, y2) bottom-right (not
 * clipped to the image), the face score, and five landmarks x, y in the order left eye, right eye,
 * nose, left mouth corner, right mouth corner (as seen in the image).
 */
public record FaceDetection(float x1, float y1, float x2, float y2, float score, float[] landmarks) {
    public FaceDetection {
        if (landmarks == null || landmarks.length != 10) {
            throw new IllegalArgumentException("five landmarks (10 values) expected, got "
                    + (landmarks == null ? "null" : landmarks.length));
        }
        landmarks = landmarks.clone();
    }

    @Override
    public float[] landmarks() {
        return landmarks.clone();
    }

    /** Landmark k's x (k = 0 .. 4). */
    public float landmarkX(int k) {
        return landmarks[2 * k];
    }

    public float landmarkY(int k) {
        return landmarks[2 * k + 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceDetection f && f.x1 == x1 && f.y1 == y1 && f.x2 == x2 && f.y2 == y2 && f.score == score
                && Arrays.equals(f.landmarks, landmarks);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(x1, y1, x2, y2, score) + Arrays.hashCode(landmarks);
    }

    @Override
    public String toString() {
        return String.format("FaceDetection[%.1f, %.1f, %.1f, %.1f score %.4f]", x1, y1, x2, y2, score);
    }
}
