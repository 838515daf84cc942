package dev.affect.server.schedule;

/** A request named a model that is not loaded. */
public final class ModelNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String message) {
        super(message);
    }
}
