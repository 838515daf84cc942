package dev.affect.server.jobs;

/** A path outside every configured data root, directly, through {@code ..} or a symbolic link (PERMISSION_DENIED). */
public final class PathDeniedException extends RuntimeException {
    private final String field;

    public PathDeniedException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The request field that held the path. */
    public String field() {
        return field;
    }
}
