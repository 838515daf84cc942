package dev.affect.server.stream;

/** A stream broke the protocol: a frame before open, a second open (FAILED_PRECONDITION). */
public final class ProtocolViolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String message) {
        super(message);
    }
}
