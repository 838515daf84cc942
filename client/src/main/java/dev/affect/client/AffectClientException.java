package dev.affect.client;

import io.grpc.Status;

/**
 * A call failed: the server refused it (bad input, unknown model, busy), it could not be reached, or
 * the deadline passed. {@link #code()} says which; the message is one line.
 */
public final class AffectClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;

    AffectClientException(Status status, Throwable cause) {
        super(message(status), cause);
        this.code = status.getCode();
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

    /** True when no server answered at the target (refused, unresolvable, or went away). */
    public boolean isUnreachable() {
        return code == Status.Code.UNAVAILABLE;
    }

    /** True when the server reported a bug of its own (INTERNAL, UNKNOWN, DATA_LOSS) rather than a refusal. */
    public boolean isServerError() {
        return code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN || code == Status.Code.DATA_LOSS;
    }
}
