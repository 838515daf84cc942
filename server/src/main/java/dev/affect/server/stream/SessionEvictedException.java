package dev.affect.server.stream;

/** The session was evicted; announced in-stream first (ABORTED). */
public final class SessionEvictedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionEvictedException(String message) {
        super(message);
    }
}
