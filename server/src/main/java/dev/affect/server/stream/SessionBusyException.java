package dev.affect.server.stream;

/** A resume named a session another stream holds (FAILED_PRECONDITION). */
public final class SessionBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionBusyException(String message) {
        super(message);
    }
}
