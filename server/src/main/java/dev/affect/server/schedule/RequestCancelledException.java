package dev.affect.server.schedule;

/** The caller went away (cancelled, or its deadline passed) before the work started or finished. */
public final class RequestCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestCancelledException(String message) {
        super(message);
    }
}
