package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.image.ImageFormatException;
import dev.affect.server.grpc.GrpcStatusMapper;
import dev.affect.server.schedule.ModelNotFoundException;
import dev.affect.server.schedule.QueueFullException;
import dev.affect.server.schedule.RequestCancelledException;
import dev.affect.server.schedule.ServerUnavailableException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The table of docs/style.md (e). */
class GrpcStatusMapperTest {

    @Test
    void eachCauseHasItsCode() {
        assertCode(Status.Code.INVALID_ARGUMENT, new IllegalArgumentException("bad"));
        assertCode(Status.Code.INVALID_ARGUMENT, new ImageFormatException("frame 3: not a JPEG or PNG image"));
        assertCode(Status.Code.NOT_FOUND, new ModelNotFoundException("no"));
        assertCode(Status.Code.RESOURCE_EXHAUSTED, new QueueFullException("busy"));
        assertCode(Status.Code.UNAVAILABLE, new ServerUnavailableException("draining"));
        assertCode(Status.Code.CANCELLED, new RequestCancelledException("gone"));
        assertCode(Status.Code.INTERNAL, new NullPointerException("oops"));
        assertCode(Status.Code.INVALID_ARGUMENT, new CompletionException(new IllegalArgumentException("wrapped")));
        assertCode(Status.Code.ABORTED, Status.ABORTED.asRuntimeException());
    }

    @Test
    void internalErrorsAreOneShortLineWithoutAStackTrace() {
        StatusRuntimeException e = GrpcStatusMapper.toStatus(new IllegalStateException("line one\nline two " + "x".repeat(1000)));
        String d = e.getStatus().getDescription();
        assertTrue(d.startsWith("internal error: IllegalStateException: line one"), d);
        assertFalse(d.contains("\n"), d);
        assertFalse(d.contains("at dev.affect"), d);
        assertTrue(d.length() <= 300, "length " + d.length());
    }

    @Test
    void cancellationAfterTheDeadlineIsDeadlineExceeded() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (Context.CancellableContext ctx = Context.current().withDeadline(Deadline.after(1, TimeUnit.NANOSECONDS), timer)) {
            while (!ctx.getDeadline().isExpired()) {
                Thread.onSpinWait();
            }
            assertEquals(Status.Code.DEADLINE_EXCEEDED,
                    GrpcStatusMapper.toStatus(new RequestCancelledException("late"), ctx).getStatus().getCode());
        } finally {
            timer.shutdownNow();
        }
    }

    private static void assertCode(Status.Code code, Throwable t) {
        assertEquals(code, GrpcStatusMapper.toStatus(t).getStatus().getCode(), t.toString());
    }
}
