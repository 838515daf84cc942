package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.BackendUnavailableException;
import dev.affect.engine.image.ImageFormatException;
import dev.affect.server.pipeline.NameTakenException;
import dev.affect.server.schedule.ModelNotFoundException;
import dev.affect.server.schedule.QueueFullException;
import dev.affect.server.schedule.RequestCancelledException;
import dev.affect.server.schedule.ServerUnavailableException;
import dev.affect.server.stream.ProtocolViolationException;
import dev.affect.server.stream.SessionBusyException;
import dev.affect.server.stream.SessionEvictedException;
import dev.affect.server.stream.SessionLimitException;
import dev.affect.server.stream.SessionNotFoundException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns an exception into a gRPC status (docs/style.md (e)). Descriptions are one
 * short line; stack traces are logged here, never sent.
 *
 * <p>Only {@link InvalidInputException} (whose message starts with the field, e.g.
 * {@code frames[3].normalized.raw_contents: ...}) and {@link ImageFormatException} are the client's
 * fault (INVALID_ARGUMENT). A plain {@link IllegalArgumentException}, {@link IllegalStateException},
 * NPE and anything else unexpected is a server bug: INTERNAL, logged with its stack trace.
 */
public final class GrpcStatusMapper {
    private static final System.Logger LOG = System.getLogger(GrpcStatusMapper.class.getName());
    private static final int MAX_DESCRIPTION = 300;

    private GrpcStatusMapper() {
    }

    /** As {@link #toStatus(Throwable, Context)}, outside any call context. */
    public static StatusRuntimeException toStatus(Throwable error) {
        return toStatus(error, null);
    }

    /**
     * The status for {@code error}. A cancellation becomes DEADLINE_EXCEEDED when the call's deadline
     * has passed, CANCELLED otherwise.
     *
     * @param context the call's context, or {@code null}
     */
    public static StatusRuntimeException toStatus(Throwable error, Context context) {
        Throwable e = unwrap(error);
        Status status = switch (e) {
            case StatusRuntimeException s -> s.getStatus();
            case StatusException s -> s.getStatus();
            case ImageFormatException x -> Status.INVALID_ARGUMENT.withDescription(oneLine(x));
            case InvalidInputException x -> Status.INVALID_ARGUMENT.withDescription(oneLine(x));
            case ModelNotFoundException x -> Status.NOT_FOUND.withDescription(oneLine(x));
            case NameTakenException x -> Status.ALREADY_EXISTS.withDescription(oneLine(x));
            case SessionNotFoundException x -> Status.NOT_FOUND.withDescription(oneLine(x));
            case SessionBusyException x -> Status.FAILED_PRECONDITION.withDescription(oneLine(x));
            case ProtocolViolationException x -> Status.FAILED_PRECONDITION.withDescription(oneLine(x));
            case SessionLimitException x -> Status.RESOURCE_EXHAUSTED.withDescription(oneLine(x));
            case SessionEvictedException x -> Status.ABORTED.withDescription(oneLine(x));
            case QueueFullException x -> Status.RESOURCE_EXHAUSTED.withDescription(oneLine(x));
            case ServerUnavailableException x -> Status.UNAVAILABLE.withDescription(oneLine(x));
            case BackendUnavailableException x -> Status.UNAVAILABLE.withDescription(oneLine(x));
            case RequestCancelledException x -> cancelled(context).withDescription(oneLine(x));
            default -> internal(e);
        };
        return status.withCause(e).asRuntimeException();
    }

    /** CANCELLED, or DEADLINE_EXCEEDED when the context's deadline has passed. */
    public static Status cancelled(Context context) {
        Deadline deadline = context == null ? null : context.getDeadline();
        return deadline != null && deadline.isExpired() ? Status.DEADLINE_EXCEEDED : Status.CANCELLED;
    }

    private static Status internal(Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "internal error serving a request", e);
        String message = e.getMessage() == null ? "" : ": " + oneLine(e);
        return Status.INTERNAL.withDescription(truncate("internal error: " + e.getClass().getSimpleName() + message));
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return truncate(m.replace('\n', ' ').replace('\r', ' ').strip());
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DESCRIPTION ? s : s.substring(0, MAX_DESCRIPTION - 3) + "...";
    }
}
