package dev.affect.server.stream;

/** The server holds its maximum number of sessions (RESOURCE_EXHAUSTED). */
public final class SessionLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionLimitException(String message) {
        super(message);
    }
}
