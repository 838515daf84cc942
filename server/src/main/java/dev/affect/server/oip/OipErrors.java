package dev.affect.server.oip;

import dev.affect.server.grpc.GrpcStatusMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/** The protocol's error statuses, worded as Triton words them where clients may match on the text. */
final class OipErrors {
    private OipErrors() {
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    static StatusRuntimeException unknownModel(String model, String version) {
        String v = version == null || version.isEmpty() ? "" : " version " + version;
        return Status.NOT_FOUND.withDescription("Request for unknown model: '" + model + "'" + v + " is not found")
                .asRuntimeException();
    }

    /** Any failure as a status: ours pass through, a full executor is RESOURCE_EXHAUSTED, the rest as the server maps them. */
    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof RejectedExecutionException) {
            return Status.RESOURCE_EXHAUSTED.withDescription("inference queue is full; retry later").withCause(e)
                    .asRuntimeException();
        }
        return GrpcStatusMapper.toStatus(e);
    }
}
