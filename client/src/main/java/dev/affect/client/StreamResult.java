package dev.affect.client;

import java.util.List;

/**
 * The answer to one frame of a {@link FrameStream}, in the order frames were sent.
 *
 * @param sequence the frame's sequence number, echoed
 * @param timestampUs the frame's capture timestamp, echoed
 * @param affect the task values, or null when the frame failed or had no face
 * @param errorCode 0, or the google.rpc.Code of the frame's failure (3 bad frame, 8 server busy, 13 server fault)
 * @param errorMessage empty, or what failed (names the field)
 * @param serverLatencyUs from the server receiving the frame to its result being ready
 * @param batchSize how many frames ran in the frame's batch (0 when it did not run)
 * @param latencyNanos from the client sending the frame to receiving its result
 * @param face the face the values are for when the server detected it in a camera frame, else null
 * @param noFace the server found no face in the frame (no values; the session's state was not advanced)
 * @param faces every-face sessions: each face followed in the frame with its own values, in descending
 *     score (then {@code affect} and {@code face} are null); empty otherwise, or when the frame failed
 */
public record StreamResult(long sequence, long timestampUs, Affect affect, int errorCode, String errorMessage,
        long serverLatencyUs, int batchSize, long latencyNanos, DetectedFace face, boolean noFace, List<FaceAffect> faces) {

    public StreamResult {
        faces = List.copyOf(faces);
    }

    /** One face of an every-face frame and the values of its track. */
    public record FaceAffect(DetectedFace face, Affect affect) {
    }

    /** True when this frame failed (the session's state was not advanced by it). */
    public boolean isError() {
        return errorCode != 0;
    }
}
