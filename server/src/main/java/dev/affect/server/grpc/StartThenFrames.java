package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import io.grpc.stub.StreamObserver;

/**
 * A client stream of one {@code start} then frames, answered once when the client half-closes
 * (EvaluateStream, StartJobStream). Owns the call's shape: each request is {@link #accept}ed, the
 * first error ends the call with its status (no later message is looked at), a cancelled or broken
 * call or an answered one {@link #release}s what it holds exactly once. Errors name a frame by its
 * position after {@code start} ({@link #where}).
 *
 * @param <Q> the request message
 * @param <A> the answer
 */
abstract class StartThenFrames<Q, A> implements StreamObserver<Q> {
    private final StreamObserver<A> out;
    private boolean ended;
    /** Frames accepted so far; the next one is {@code frames[frames]}. */
    protected long frames;

    StartThenFrames(StreamObserver<A> out) {
        this.out = out;
    }

    /** Whether {@code start} has been accepted. */
    protected abstract boolean started();

    /** Handles one request: start or a frame (counting it in {@link #frames}); throws to end the call. */
    protected abstract void accept(Q request);

    /** After a request was accepted without error: a manually flow-controlled call asks for the next one here. */
    protected void accepted() {
    }

    /** The answer, once the client has half-closed after {@code start}. */
    protected abstract A finish();

    /** Frees what the call holds; called once, whether the call succeeded, failed or was cancelled. */
    protected abstract void release();

    /** The next frame's name in errors: {@code frames[i]}, counted from 0 after {@code start}. */
    protected final String where() {
        return "frames[" + frames + "]";
    }

    @Override
    public final void onNext(Q request) {
        if (ended) {
            return;
        }
        try {
            accept(request);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        accepted();
    }

    @Override
    public final void onError(Throwable t) {
        end(); // the client cancelled or the call broke: nothing stays behind
    }

    @Override
    public final void onCompleted() {
        if (ended) {
            return;
        }
        A answer;
        try {
            if (!started()) {
                throw new InvalidInputException("start", "the stream ended before start");
            }
            answer = finish();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        end();
        out.onNext(answer);
        out.onCompleted();
    }

    private void fail(RuntimeException e) {
        end();
        out.onError(TrainingStatus.of(e));
    }

    private void end() {
        if (!ended) {
            ended = true;
            release();
        }
    }
}
