package dev.affect.server.stream;

import dev.affect.engine.model.heads.PipelineState;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.server.face.SessionFaces;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.FrameScheduler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One video's temporal state: its pipeline (acquired while the session lives), the LSTM heads'
 * state in a scope of its own, the smoothing window, AU thresholds, and the stream attached to it.
 *
 * <p>In every-face mode each face has its own state ({@link TrackState}), held by the face stage and
 * freed with the session at the latest.
 *
 * <p>The state is touched only by the scheduler's device thread; the smoother only by the attached
 * call's serial executor. Freeing waits for frames in flight (a reference count), so native memory
 * is never freed under a running batch.
 */
public final class Session {
    /** The stream a session is attached to, told when the server drops the session. */
    public interface Attachment {
        void evicted(String message);
    }

    private final String id;
    private final ServedPipeline pipeline;
    private final FrameScheduler scheduler;
    private final SessionSettings settings;
    private final TensorScope scope = new TensorScope();
    private final PipelineState state;
    private final Smoother smoother;
    private final AtomicLong framesAnswered = new AtomicLong();
    private volatile FaceMode faceMode = FaceMode.NONE;
    private volatile SessionFaces faces;
    private final InFlightRelease holds = new InFlightRelease(this::release);
    private Attachment attached;

    Session(String id, ServedPipeline pipeline, FrameScheduler scheduler, SessionSettings settings) {
        this.id = id;
        this.pipeline = pipeline;
        this.scheduler = scheduler;
        this.settings = settings;
        this.state = pipeline.pipeline().map(p -> p.newState(scope)).orElse(null);
        this.smoother = new Smoother(settings.smoothingWindow());
    }

    public String id() {
        return id;
    }

    public ServedPipeline pipeline() {
        return pipeline;
    }

    public FrameScheduler scheduler() {
        return scheduler;
    }

    public SessionSettings settings() {
        return settings;
    }

    /** The heads' state (null for a pipeline without heads); only the device thread touches it. */
    public PipelineState state() {
        return state;
    }

    /** Sets how frames are taken (at open, before any frame); {@code faces} is null when the server has no detector. */
    public void faces(FaceMode mode, SessionFaces stage) {
        this.faceMode = mode;
        this.faces = stage;
    }

    public FaceMode faceMode() {
        return faceMode;
    }

    /** The face stage, or null when frames are never detected in. */
    public SessionFaces faces() {
        return faces;
    }

    public long framesAnswered() {
        return framesAnswered.get();
    }

    public void answered() {
        framesAnswered.incrementAndGet();
    }

    /** Smoothed values of one frame's task (call from the attached call's serial executor). */
    public float[] smooth(Task task, float[] values) {
        return smoother.add(task, values);
    }

    /**
     * Empties the smoothing window (from the attached call's serial executor, before the frame's values
     * are smoothed): the followed face changed, and the new person's values must not be averaged with
     * the last one's.
     */
    public void restartSmoothing() {
        smoother.restart();
    }

    synchronized boolean attach(Attachment call) {
        if (attached != null || holds.isFreeRequested()) {
            return false;
        }
        attached = call;
        return true;
    }

    /** Leaves the session idle (resumable) when {@code call} is the one attached. */
    public synchronized void detach(Attachment call) {
        if (attached == call) {
            attached = null;
        }
    }

    synchronized Attachment takeAttachment() {
        Attachment a = attached;
        attached = null;
        return a;
    }

    /** A frame of the session was queued; its state must outlive it. */
    public void frameStarted() {
        holds.started();
    }

    /** A frame of the session was answered (or dropped). */
    public void frameDone() {
        holds.done();
    }

    /** Frees the state once no frame is in flight (at once when none is). Idempotent. */
    void free() {
        holds.free();
    }

    private void release() {
        SessionFaces f = faces;
        if (f != null) {
            f.close(); // every-face tracks' states: their frames are done, as the session's are
        }
        scope.close();
        pipeline.release();
    }
}
