package dev.affect.server.jobs;

/** An upload of training frames passed the server's byte cap (RESOURCE_EXHAUSTED). */
public final class UploadTooLargeException extends RuntimeException {
    public UploadTooLargeException(String message) {
        super(message);
    }
}
