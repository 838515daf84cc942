package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
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
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The table of docs/style.md (e). */
class GrpcStatusMapperTest {

    @Test
    void eachCauseHasItsCode() {
        assertCode(Status.Code.INVALID_ARGUMENT, new InvalidInputException("frames[3]", "bad"));
        assertCode(Status.Code.INVALID_ARGUMENT, new ImageFormatException("frames[3].image: not a JPEG or PNG image"));
        assertCode(Status.Code.NOT_FOUND, new ModelNotFoundException("no"));
        assertCode(Status.Code.RESOURCE_EXHAUSTED, new QueueFullException("busy"));
        assertCode(Status.Code.UNAVAILABLE, new ServerUnavailableException("draining"));
        assertCode(Status.Code.CANCELLED, new RequestCancelledException("gone"));
        assertCode(Status.Code.INTERNAL, new NullPointerException("oops"));
        assertCode(Status.Code.INTERNAL, new IllegalStateException("oops"));
        assertCode(Status.Code.INVALID_ARGUMENT, new CompletionException(new InvalidInputException("frames", "wrapped")));
        assertCode(Status.Code.ABORTED, Status.ABORTED.asRuntimeException());
    }

    @Test
    void invalidInputIsInvalidArgumentWithOneLineNamingTheField() {
        StatusRuntimeException e = GrpcStatusMapper.toStatus(
                new InvalidInputException("frames[3].normalized.raw_contents", "has 100 bytes,\nshape [3, 112, 112] needs 150528"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("frames[3].normalized.raw_contents: has 100 bytes, shape [3, 112, 112] needs 150528",
                e.getStatus().getDescription());
        StatusRuntimeException checkpoint = GrpcStatusMapper.toStatus(
                new CompletionException(new InvalidInputException("checkpoint", "does not match DDAMFN")));
        assertEquals(Status.Code.INVALID_ARGUMENT, checkpoint.getStatus().getCode());
        assertTrue(checkpoint.getStatus().getDescription().startsWith("checkpoint: "), checkpoint.getMessage());
    }

    @Test
    void aPlainIllegalArgumentExceptionIsOurBugNotTheClients() {
        for (Throwable bug : new Throwable[] {new IllegalArgumentException("index 7 out of range"),
                new CompletionException(new IllegalArgumentException("wrapped"))}) {
            StatusRuntimeException e = GrpcStatusMapper.toStatus(bug);
            assertEquals(Status.Code.INTERNAL, e.getStatus().getCode(), bug.toString());
            assertTrue(e.getStatus().getDescription().startsWith("internal error: IllegalArgumentException: "),
                    e.getStatus().getDescription());
            assertInstanceOf(IllegalArgumentException.class, e.getCause(), "the cause is kept for the log");
        }
    }

    @Test
    void internalErrorsAreLoggedWithTheStackTraceAndClientErrorsAreNot() {
        Logger logger = Logger.getLogger(GrpcStatusMapper.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            GrpcStatusMapper.toStatus(new InvalidInputException("frames[0]", "bad"));
            assertEquals(List.of(), records, "a client error is not logged as an error");
            IllegalArgumentException bug = new IllegalArgumentException("a bug");
            GrpcStatusMapper.toStatus(bug);
            assertEquals(1, records.size());
            assertEquals(Level.SEVERE, records.getFirst().getLevel());
            assertSame(bug, records.getFirst().getThrown());
        } finally {
            logger.removeHandler(capture);
        }
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
