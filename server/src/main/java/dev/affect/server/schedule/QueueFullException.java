package dev.affect.server.schedule;

/** The bounded compute queue is full: the request is refused rather than queued without limit. */
public final class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }
}
