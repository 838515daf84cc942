package dev.affect.client;

import io.grpc.Status;

/**
 * A call failed: the server refused it (bad input, unknown model, busy), it could not be reached, or
 * the deadline passed. {@link #code()} says which, and the codes callers usually branch on have their
 * own subclass ({@link NotFound}, {@link InvalidArgument}, {@link ResourceExhausted}, ...); the message
 * is one line.
 */
public class AffectClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final transient Status status;

    AffectClientException(Status status, Throwable cause) {
        super(message(status), cause);
        this.code = status.getCode();
        this.status = status;
    }

    /** The exception for a status: the subclass of its code where there is one. */
    static AffectClientException of(Status status, Throwable cause) {
        return switch (status.getCode()) {
            case NOT_FOUND -> new NotFound(status, cause);
            case INVALID_ARGUMENT -> new InvalidArgument(status, cause);
            case RESOURCE_EXHAUSTED -> new ResourceExhausted(status, cause);
            case UNAVAILABLE -> new Unavailable(status, cause);
            case ALREADY_EXISTS -> new AlreadyExists(status, cause);
            case FAILED_PRECONDITION -> new FailedPrecondition(status, cause);
            case ABORTED -> new Aborted(status, cause);
            case DEADLINE_EXCEEDED -> new DeadlineExceeded(status, cause);
            case PERMISSION_DENIED -> new PermissionDenied(status, cause);
            default -> new AffectClientException(status, cause);
        };
    }

    /** From a failed call's throwable: its gRPC status when it has one, else UNKNOWN. */
    static AffectClientException of(Throwable t) {
        if (t instanceof AffectClientException e) {
            return e;
        }
        return of(Status.fromThrowable(t), t);
    }

    /** {@code CODE: description (underlying cause)}, e.g. "UNAVAILABLE: io exception (Connection refused: ...)". */
    private static String message(Status status) {
        StringBuilder m = new StringBuilder(status.getCode().toString());
        if (status.getDescription() != null) {
            m.append(": ").append(status.getDescription());
        }
        Throwable root = status.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != null && root.getMessage() != null && !root.getMessage().isBlank()) {
            m.append(" (").append(root.getMessage().replace('\n', ' ').strip()).append(')');
        }
        return m.toString();
    }

    /** The gRPC status code, e.g. UNAVAILABLE when the server cannot be reached. */
    public Status.Code code() {
        return code;
    }

    /** The server's description, or null. */
    public String description() {
        return status == null ? null : status.getDescription();
    }

    /** True when no server answered at the target (refused, unresolvable, or went away). */
    public boolean isUnreachable() {
        return code == Status.Code.UNAVAILABLE;
    }

    /** True when the server reported a bug of its own (INTERNAL, UNKNOWN, DATA_LOSS) rather than a refusal. */
    public boolean isServerError() {
        return code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN || code == Status.Code.DATA_LOSS;
    }

    /** NOT_FOUND: an unknown pipeline or model, or a session id that expired. */
    public static final class NotFound extends AffectClientException {
        private static final long serialVersionUID = 1L;

        NotFound(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** INVALID_ARGUMENT: a bad request (no frames, a bad image or tensor, bad session options). */
    public static final class InvalidArgument extends AffectClientException {
        private static final long serialVersionUID = 1L;

        InvalidArgument(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** RESOURCE_EXHAUSTED: the server is full (queue, sessions, memory); retry later. */
    public static final class ResourceExhausted extends AffectClientException {
        private static final long serialVersionUID = 1L;

        ResourceExhausted(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** UNAVAILABLE: no server at the target, or it is shutting down. */
    public static final class Unavailable extends AffectClientException {
        private static final long serialVersionUID = 1L;

        Unavailable(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** ALREADY_EXISTS: a pipeline of that name is loaded. */
    public static final class AlreadyExists extends AffectClientException {
        private static final long serialVersionUID = 1L;

        AlreadyExists(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** FAILED_PRECONDITION: a stream protocol violation, or a session another stream holds. */
    public static final class FailedPrecondition extends AffectClientException {
        private static final long serialVersionUID = 1L;

        FailedPrecondition(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** ABORTED: the server evicted the session (idle, session cap, pipeline unloaded). */
    public static final class Aborted extends AffectClientException {
        private static final long serialVersionUID = 1L;

        Aborted(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** DEADLINE_EXCEEDED: the call's deadline passed. */
    public static final class DeadlineExceeded extends AffectClientException {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded(Status status, Throwable cause) {
            super(status, cause);
        }
    }

    /** PERMISSION_DENIED: a path outside the server's data roots (directly, through {@code ..} or a link). */
    public static final class PermissionDenied extends AffectClientException {
        private static final long serialVersionUID = 1L;

        PermissionDenied(Status status, Throwable cause) {
            super(status, cause);
        }
    }
}
