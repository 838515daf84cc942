package dev.affect.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A client-streaming call fed from an iterator on the caller's thread, with back-pressure: a message
 * is sent only while the call is ready (gRPC's outbound buffer below its limit), so a slow server
 * makes the caller wait instead of the client buffering the whole stream. Stops sending as soon as
 * the server answers (an error, usually). If the caller is interrupted or the iterator throws, the
 * call is cancelled, which tells the server to drop what it received.
 *
 * @param <Q> request message
 * @param <R> the one response
 */
final class ClientUpload<Q, R> implements ClientResponseObserver<Q, R> {
    /** A fallback for a missed ready signal; the handler normally wakes the sender at once. */
    private static final long READY_POLL_MS = 200;

    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final Object readiness = new Object();
    private ClientCallStreamObserver<Q> call;

    /**
     * Starts the call with {@code start}, sends {@code first} then every element of {@code rest}, half-closes
     * and waits for the answer.
     *
     * @param start opens the call on a stub with this observer as its response observer
     * @throws AffectClientException with the call's status
     */
    static <Q, R> R run(Function<ClientUpload<Q, R>, ?> start, Q first, Iterator<? extends Q> rest) {
        ClientUpload<Q, R> upload = new ClientUpload<>();
        start.apply(upload);
        return upload.send(first, rest);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
        this.call = requestStream;
        requestStream.setOnReadyHandler(this::wake);
    }

    @Override
    public void onNext(R value) {
        result.complete(value);
        wake();
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
        wake();
    }

    @Override
    public void onCompleted() {
        result.completeExceptionally(Status.DATA_LOSS.withDescription("the call ended without an answer")
                .asRuntimeException());
        wake();
    }

    private void wake() {
        synchronized (readiness) {
            readiness.notifyAll();
        }
    }

    private R send(Q first, Iterator<? extends Q> rest) {
        try {
            put(first);
            while (!result.isDone() && rest.hasNext()) {
                put(rest.next());
            }
            if (!result.isDone()) {
                call.onCompleted();
            }
            return result.get();
        } catch (InterruptedException e) {
            call.cancel("the sending thread was interrupted", e);
            Thread.currentThread().interrupt();
            throw AffectClientException.of(Status.CANCELLED.withDescription("interrupted while uploading"), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StatusRuntimeException s) {
                throw AffectClientException.of(s.getStatus(), s);
            }
            throw AffectClientException.of(cause);
        } catch (RuntimeException | Error e) {
            call.cancel("the client stopped uploading: " + e, e); // e.g. the frames' iterator failed
            throw e;
        }
    }

    /** Sends one message once the call is ready, or drops it when the server has already answered. */
    private void put(Q message) throws InterruptedException {
        synchronized (readiness) {
            while (!call.isReady() && !result.isDone()) {
                readiness.wait(READY_POLL_MS);
            }
        }
        if (!result.isDone()) {
            call.onNext(message);
        }
    }
}
