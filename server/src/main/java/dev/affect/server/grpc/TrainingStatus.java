package dev.affect.server.grpc;

import dev.affect.server.jobs.JobNotFoundException;
import dev.affect.server.jobs.JobPreconditionException;
import dev.affect.server.jobs.JobQueueFullException;
import dev.affect.server.jobs.PathDeniedException;
import dev.affect.server.jobs.UploadTooLargeException;
import dev.affect.server.repository.MissingFileException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;

/**
 * The training and evaluation services' own errors as gRPC statuses; everything else goes to the
 * shared {@link GrpcStatusMapper}.
 */
final class TrainingStatus {
    private static final int MAX_DESCRIPTION = 300;

    private TrainingStatus() {
    }

    static StatusRuntimeException of(Throwable e) {
        Status status = switch (e) {
            case PathDeniedException x -> Status.PERMISSION_DENIED.withDescription(oneLine(x.getMessage()));
            case JobNotFoundException x -> Status.NOT_FOUND.withDescription(oneLine(x.getMessage()));
            case MissingFileException x -> Status.NOT_FOUND.withDescription(oneLine(x.getMessage()));
            case JobPreconditionException x -> Status.FAILED_PRECONDITION.withDescription(oneLine(x.getMessage()));
            case JobQueueFullException x -> Status.RESOURCE_EXHAUSTED.withDescription(oneLine(x.getMessage()));
            case UploadTooLargeException x -> Status.RESOURCE_EXHAUSTED.withDescription(oneLine(x.getMessage()));
            case IOException x -> Status.INTERNAL.withDescription(oneLine("reading a file failed: " + x));
            default -> null;
        };
        return status == null ? GrpcStatusMapper.toStatus(e) : status.withCause(e).asRuntimeException();
    }

    private static String oneLine(String message) {
        String s = message.replace('\n', ' ').replace('\r', ' ').strip();
        return s.length() <= MAX_DESCRIPTION ? s : s.substring(0, MAX_DESCRIPTION - 3) + "...";
    }
}
