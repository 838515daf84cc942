package dev.affect.server.grpc;

import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import dev.affect.server.schedule.Prediction;
import dev.affect.server.schedule.PredictionService;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * affect.v1.AffectService. Thin: decode and validate, hand the request to {@link PredictionService}
 * (which computes on its own workers), map the result. The response is written from the worker that
 * finished the work, never computed on a transport thread.
 */
public final class AffectServiceImpl extends AffectServiceGrpc.AffectServiceImplBase {
    private final PredictionService predictions;

    public AffectServiceImpl(PredictionService predictions) {
        this.predictions = Objects.requireNonNull(predictions, "predictions");
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
        Context context = Context.current();
        if (responses instanceof ServerCallStreamObserver<PredictResponse> call) {
            // the worker polls context.isCancelled(); nothing to release here
            call.setOnCancelHandler(() -> { });
        }
        if (context.isCancelled()) {
            responses.onError(GrpcStatusMapper.cancelled(context).withDescription("cancelled before it started")
                    .asRuntimeException());
            return;
        }
        CompletableFuture<Prediction> pending;
        try {
            pending = predictions.submit(ProtoMapping.toRequest(request), context::isCancelled);
        } catch (RuntimeException e) {
            responses.onError(GrpcStatusMapper.toStatus(e, context));
            return;
        }
        pending.whenComplete((prediction, error) -> {
            if (error != null) {
                responses.onError(GrpcStatusMapper.toStatus(error, context));
                return;
            }
            PredictResponse response;
            try {
                response = ProtoMapping.toResponse(prediction);
            } catch (RuntimeException e) {
                responses.onError(GrpcStatusMapper.toStatus(e, context));
                return;
            }
            responses.onNext(response);
            responses.onCompleted();
        });
    }
}
