package dev.affect.server.pipeline;

/** A pipeline or model name that is already loaded (gRPC ALREADY_EXISTS). */
public final class NameTakenException extends RuntimeException {
    public NameTakenException(String message) {
        super(message);
    }
}
