package dev.affect.client;

/**
 * Callbacks of a {@link FrameStream} opened with a listener. They run on gRPC's callback executor,
 * one at a time and in order; the next message is requested only when a callback returns, so a slow
 * listener slows the server rather than buffering its results. Never block long in one.
 */
public interface StreamListener {
    /** The session is open (the answer to open). */
    default void onStarted(SessionInfo session) {
    }

    /** One frame's answer, in send order. */
    default void onResult(StreamResult result) {
    }

    /** An event of the session (evicted, shutting down, ended). */
    default void onEvent(SessionEvent event) {
    }

    /** The stream failed; nothing follows. */
    default void onError(AffectClientException error) {
    }

    /** The server closed the stream with OK; nothing follows. */
    default void onCompleted() {
    }
}
