package dev.affect.engine.io;

/** A pickle stream is malformed or asks for something the restricted unpickler refuses. */
final class PickleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PickleException(String message) {
        super(message);
    }
}
