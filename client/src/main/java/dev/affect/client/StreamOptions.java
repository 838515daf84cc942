package dev.affect.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link AffectClient#openStream} opens a session.
 *
 * @param pipeline a pipeline name; empty for the server's default (ignored on resume)
 * @param tasks the tasks wanted; empty = every task the pipeline has (ignored on resume)
 * @param resume a session id from an earlier {@link SessionInfo#sessionId()} to continue, or empty for a new session
 * @param auThreshold the AU activation threshold, 0 = the server's 0.5 (ignored on resume)
 * @param auThresholds per-AU thresholds by name, e.g. {@code AU12 -> 0.35} (ignored on resume)
 * @param smoothingWindow mean of the last N frames' values; 0 or 1 = off (ignored on resume)
 * @param maxInFlight the most frames sent and not yet answered; {@code send} blocks (and {@code trySend}
 *     refuses) at this bound, even when the transport would still buffer more
 * @param timeout a deadline for the whole stream, or {@code null} for none
 * @param face whether frames are face crops or camera frames to find the face in (ignored on resume)
 * @param everyFace with face detection, follow every face of a frame, each with its own track and state;
 *     results carry {@link StreamResult#faces()} (ignored on resume)
 * @param maxFaces with {@code everyFace}, the most faces of a frame followed (the highest-scored); 0 = the
 *     server's maximum (ignored on resume)
 */
public record StreamOptions(String pipeline, Set<Task> tasks, String resume, float auThreshold,
        Map<String, Float> auThresholds, int smoothingWindow, int maxInFlight, Duration timeout, FaceMode face,
        boolean everyFace, int maxFaces) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 32;

    public StreamOptions {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(resume, "resume");
        tasks = Set.copyOf(tasks);
        Objects.requireNonNull(face, "face");
        auThresholds = Map.copyOf(auThresholds);
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        if (smoothingWindow < 0) {
            throw new IllegalArgumentException("smoothingWindow must be >= 0, got " + smoothingWindow);
        }
        if (maxFaces < 0) {
            throw new IllegalArgumentException("maxFaces must be >= 0, got " + maxFaces);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** A new session on the default pipeline, every task, the server's defaults, no deadline. */
    public static StreamOptions defaults() {
        return new StreamOptions("", Set.of(), "", 0f, Map.of(), 0, DEFAULT_MAX_IN_FLIGHT, null, FaceMode.AUTO, false, 0);
    }

    /** A new session on this pipeline. */
    public static StreamOptions pipeline(String name) {
        return defaults().withPipeline(name);
    }

    public StreamOptions withPipeline(String p) {
        return new StreamOptions(p, tasks, resume, auThreshold, auThresholds, smoothingWindow, maxInFlight, timeout, face, everyFace, maxFaces);
    }

    public StreamOptions withTasks(Set<Task> t) {
        return new StreamOptions(pipeline, t, resume, auThreshold, auThresholds, smoothingWindow, maxInFlight, timeout, face, everyFace, maxFaces);
    }

    /** Continue the session with this id instead of opening a new one. */
    public StreamOptions withResume(String sessionId) {
        return new StreamOptions(pipeline, tasks, sessionId, auThreshold, auThresholds, smoothingWindow, maxInFlight,
                timeout, face, everyFace, maxFaces);
    }

    public StreamOptions withAuThreshold(float threshold) {
        return new StreamOptions(pipeline, tasks, resume, threshold, auThresholds, smoothingWindow, maxInFlight, timeout, face, everyFace, maxFaces);
    }

    public StreamOptions withAuThresholds(Map<String, Float> perAu) {
        return new StreamOptions(pipeline, tasks, resume, auThreshold, perAu, smoothingWindow, maxInFlight, timeout, face, everyFace, maxFaces);
    }

    public StreamOptions withSmoothingWindow(int frames) {
        return new StreamOptions(pipeline, tasks, resume, auThreshold, auThresholds, frames, maxInFlight, timeout, face, everyFace, maxFaces);
    }

    public StreamOptions withMaxInFlight(int frames) {
        return new StreamOptions(pipeline, tasks, resume, auThreshold, auThresholds, smoothingWindow, frames, timeout, face, everyFace, maxFaces);
    }

    public StreamOptions withTimeout(Duration t) {
        return new StreamOptions(pipeline, tasks, resume, auThreshold, auThresholds, smoothingWindow, maxInFlight, t, face, everyFace, maxFaces);
    }

    /** {@link FaceMode#DETECT} for whole camera frames (the server needs a face detector). */
    public StreamOptions withFace(FaceMode mode) {
        return new StreamOptions(pipeline, tasks, resume, auThreshold, auThresholds, smoothingWindow, maxInFlight, timeout,
                mode, everyFace, maxFaces);
    }

    /** Every face of a camera frame under its own track, each with its own state (needs face detection). */
    public StreamOptions withEveryFace(boolean every) {
        return new StreamOptions(pipeline, tasks, resume, auThreshold, auThresholds, smoothingWindow, maxInFlight, timeout,
                face, every, maxFaces);
    }

    /** With {@link #withEveryFace}: follow at most {@code n} faces of a frame; 0 = the server's maximum. */
    public StreamOptions withMaxFaces(int n) {
        return new StreamOptions(pipeline, tasks, resume, auThreshold, auThresholds, smoothingWindow, maxInFlight, timeout,
                face, everyFace, n);
    }
}
