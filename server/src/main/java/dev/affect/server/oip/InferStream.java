package dev.affect.server.oip;

import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.proto.inference.ModelInferResponse;
import dev.affect.proto.inference.ModelStreamInferResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One ModelStreamInfer call. Requests run concurrently on the inference executor, but answers leave in
 * request order; requests of one sequence run one after another, in arrival order. A failed request
 * answers {@code error_message} with its id, and the stream goes on.
 *
 * <p>Bounded: with manual flow control the stream asks the transport for {@code inFlight} requests,
 * then for one more only after an answer is written, and answers are written only while the call
 * {@code isReady()} (a slow reader stops the intake instead of growing a queue). All state is guarded
 * by this object's lock: callbacks come from the call's serialized executor and from compute threads.
 */
final class InferStream implements StreamObserver<ModelInferRequest> {
    private final OipInference inference;
    private final ServerCallStreamObserver<ModelStreamInferResponse> out;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    // the last request of each sequence on this stream, which the next one of the sequence waits for
    private final Map<List<Object>, CompletableFuture<?>> sequenceTails = new HashMap<>();
    private boolean halfClosed;
    private boolean done;

    private record Pending(String id, String model, CompletableFuture<ModelInferResponse> result) {
    }

    InferStream(OipInference inference, ServerCallStreamObserver<ModelStreamInferResponse> out, int inFlight) {
        this.inference = inference;
        this.out = out;
        out.disableAutoRequest();
        out.setOnReadyHandler(this::drain);
        out.setOnCancelHandler(this::cancelled);
        out.request(inFlight);
    }

    @Override
    public void onNext(ModelInferRequest request) {
        CompletableFuture<ModelInferResponse> result;
        synchronized (this) {
            if (done) {
                return;
            }
            List<Object> key = sequenceKey(request);
            CompletableFuture<?> before = key == null ? null : sequenceTails.get(key);
            if (before == null) {
                result = inference.submit(request);
            } else {
                result = before.handle((r, e) -> null).thenCompose(x -> inference.submit(request));
            }
            if (key != null) {
                sequenceTails.put(key, result);
                result.whenComplete((r, e) -> forgetTail(key, result));
            }
            pending.add(new Pending(request.getId(), request.getModelName(), result));
        }
        result.whenComplete((r, e) -> drain());
    }

    private synchronized void forgetTail(List<Object> key, CompletableFuture<?> tail) {
        sequenceTails.remove(key, tail);
    }

    /** (model, sequence_id) when the request names a sequence; null otherwise (or when its parameters are bad). */
    private static List<Object> sequenceKey(ModelInferRequest request) {
        try {
            Object id = OipInference.sequenceParams(request).id();
            return id == null ? null : List.of(request.getModelName(), id);
        } catch (StatusRuntimeException e) {
            return null;
        }
    }

    /** Writes finished answers in order while the call can take them, asking for one request per answer. */
    private synchronized void drain() {
        while (!done && !pending.isEmpty() && pending.peek().result().isDone() && out.isReady()) {
            Pending p = pending.poll();
            ModelStreamInferResponse.Builder r = ModelStreamInferResponse.newBuilder();
            try {
                r.setInferResponse(p.result().join());
            } catch (RuntimeException e) {
                io.grpc.Status status = OipErrors.toStatus(e).getStatus();
                String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
                r.setErrorMessage(message)
                        .setInferResponse(ModelInferResponse.newBuilder().setId(p.id()).setModelName(p.model()));
            }
            out.onNext(r.build());
            if (!halfClosed) {
                out.request(1);
            }
        }
        if (!done && halfClosed && pending.isEmpty()) {
            done = true;
            out.onCompleted();
        }
    }

    @Override
    public void onError(Throwable t) {
        cancelled();
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            halfClosed = true;
        }
        drain();
    }

    private synchronized void cancelled() {
        done = true;
        pending.forEach(p -> p.result().cancel(false));
        pending.clear();
    }
}
