package dev.affect.server.stream;

/** A resume named a session that is unknown or expired (NOT_FOUND). */
public final class SessionNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionNotFoundException(String message) {
        super(message);
    }
}
