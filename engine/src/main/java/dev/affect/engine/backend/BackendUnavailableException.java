package dev.affect.engine.backend;

/** The backend that was asked for cannot run on this machine; the message says why. */
public final class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
