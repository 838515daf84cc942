package dev.affect.client;

import java.util.List;

/**
 * The face a stream result is for, found in a camera frame, in the frame's pixels.
 *
 * @param box x1, y1, x2, y2
 * @param score the detector's face score
 * @param landmarks x, y of the left eye, right eye, nose, left and right mouth corners
 * @param trackId the session's track; it changes when the followed face was lost and another taken
 */
public record DetectedFace(float[] box, float score, float[] landmarks, long trackId) {

    static DetectedFace of(dev.affect.proto.v1.DetectedFace f) {
        return new DetectedFace(floats(f.getBoxList()), f.getScore(), floats(f.getLandmarksList()), f.getTrackId());
    }

    private static float[] floats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
