package dev.affect.server.stream;

import dev.affect.engine.model.heads.PipelineState;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.server.pipeline.ServedPipeline;

/**
 * The temporal state of one face of an every-face session: the LSTM heads' state in a scope of its
 * own and its own smoothing window. Created when its track starts; freed when the tracker drops the
 * track or the session ends, and then only once its frames in flight are done (a reference count), so
 * native memory is never freed under a running batch.
 *
 * <p>Like a {@link Session}'s: the state is touched only by the scheduler's device thread, the
 * smoother only by the attached call's serial executor. The track is also the scheduler's owner of its
 * frames, so the faces of one frame batch together while each track's frames keep their order.
 */
public final class TrackState {
    private final long trackId;
    private final TensorScope scope = new TensorScope();
    private final PipelineState state;
    private final Smoother smoother;
    private final Runnable released;
    private final InFlightRelease holds = new InFlightRelease(this::release);

    /**
     * @param pipeline the session's pipeline (the session holds it for longer than any of its tracks)
     * @param released called once, after the state is freed
     */
    public TrackState(long trackId, ServedPipeline pipeline, int smoothingWindow, Runnable released) {
        this.trackId = trackId;
        this.state = pipeline.pipeline().map(p -> p.newState(scope)).orElse(null);
        this.smoother = new Smoother(smoothingWindow);
        this.released = released;
    }

    public long trackId() {
        return trackId;
    }

    /** The heads' state, zero at the track's start (null for a pipeline without heads); only the device thread touches it. */
    public PipelineState state() {
        return state;
    }

    /** Smoothed values of this face's task (call from the attached call's serial executor). */
    public float[] smooth(Task task, float[] values) {
        return smoother.add(task, values);
    }

    /** A frame of this face was queued; the state must outlive it. */
    public void frameStarted() {
        if (!holds.started()) {
            throw new IllegalStateException("track " + trackId + " was already freed");
        }
    }

    /** A frame of this face was answered (or dropped). */
    public void frameDone() {
        holds.done();
    }

    /** Frees the state once no frame of this face is in flight (at once when none is). Idempotent. */
    public void free() {
        holds.free();
    }

    /** Whether the state's native memory has been given back. */
    public boolean isFreed() {
        return holds.isFreed();
    }

    private void release() {
        scope.close();
        released.run();
    }

    @Override
    public String toString() {
        return "TrackState[" + trackId + "]";
    }
}
