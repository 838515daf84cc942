package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.FaceNormalizer;
import dev.affect.engine.image.ImageDimensions;
import dev.affect.engine.image.RgbImage;
import dev.affect.proto.v1.FrameError;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.SessionOptions;
import dev.affect.proto.v1.SessionStarted;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.server.face.SessionFaces;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.FrameJob;
import dev.affect.server.schedule.FrameScheduler;
import dev.affect.server.schedule.RequestCancelledException;
import dev.affect.server.schedule.RowResult;
import dev.affect.server.schedule.SerialExecutor;
import dev.affect.server.stream.FaceMode;
import dev.affect.server.stream.ProtocolViolationException;
import dev.affect.server.stream.Session;
import dev.affect.server.stream.SessionSettings;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Stream call: grpc-java manual flow control (ManualFlowControlServer) with a credit of frames
 * in flight, results sent in frame order while the call is ready. State is guarded by {@code this};
 * results are built on the call's {@link SerialExecutor}, never on the device thread.
 */
final class StreamCall implements StreamObserver<StreamRequest>, Session.Attachment {
    private static final System.Logger LOG = System.getLogger(StreamCall.class.getName());

    private final AffectServiceImpl service;
    private final ServerCallStreamObserver<StreamResponse> out;
    private final SerialExecutor executor;
    private final EveryFaceFrames everyFace;
    private final Map<Long, StreamResponse> ready = new HashMap<>();
    private Session session;
    private FrameScheduler scheduler;
    private boolean wasReady;
    private int outstanding;
    private long nextIndex;
    private long nextToSend;
    private int inFlight;
    private boolean halfClosed;
    private boolean ending;
    private boolean shuttingDown;
    private boolean done;
    private volatile boolean cancelled;

    StreamCall(AffectServiceImpl service, ServerCallStreamObserver<StreamResponse> out) {
        this.service = service;
        this.out = out;
        this.executor = new SerialExecutor(service.responsePool);
        this.everyFace = new EveryFaceFrames(service, this, executor, () -> cancelled);
    }

    void start() {
        out.disableAutoRequest();
        out.setOnReadyHandler(this::onReady);
        out.setOnCancelHandler(this::onCancel);
        synchronized (this) {
            outstanding = 1;
            out.request(1); // the open
        }
    }

    private synchronized void onReady() {
        if (out.isReady() && !wasReady) {
            wasReady = true;
        }
        drain();
    }

    @Override
    public synchronized void onNext(StreamRequest request) {
        outstanding--;
        if (done) {
            return;
        }
        try {
            switch (request.getKindCase()) {
                case OPEN -> open(request.getOpen());
                case FRAME -> frame(request.getFrame());
                case END -> {
                    if (session == null) {
                        throw new ProtocolViolationException("end before open: the first request must be open");
                    }
                    ending = true;
                }
                case KIND_NOT_SET -> throw new ProtocolViolationException("a request with neither open, frame nor end");
            }
        } catch (RuntimeException e) {
            fail(GrpcStatusMapper.toStatus(e));
            return;
        }
        drain();
    }

    private void open(SessionOpen open) {
        if (session != null) {
            throw new ProtocolViolationException("a second open: a stream opens one session, with its first request");
        }
        if (shuttingDown) {
            throw new dev.affect.server.schedule.ServerUnavailableException("the server is shutting down");
        }
        boolean resumed = !open.getResume().isEmpty();
        if (resumed) {
            session = service.sessions.resume(open.getResume(), this);
            try {
                scheduler = service.schedulers.of(session.pipeline());
            } catch (RuntimeException e) {
                session.detach(this);
                session = null;
                throw e;
            }
        } else {
            ServedPipeline pipeline = service.registry.resolve(open.getPipeline());
            SessionOptions o = open.getOptions();
            FaceOptions faces = FaceOptions.of(o, service.faces != null, service.maxFaces);
            SessionSettings settings = SessionSettings.of(pipeline, ProtoMapping.tasks(open.getTasksList(), "open.tasks"),
                    o.getAuThreshold(), o.getAuThresholdsMap(), o.getSmoothingWindow());
            scheduler = service.schedulers.of(pipeline);
            session = service.sessions.open(pipeline, scheduler, settings, this);
            session.faces(faces.mode(), faces.stage(service.faces, pipeline, settings.smoothingWindow()));
        }
        SessionSettings s = session.settings();
        SessionFaces stage = session.faces();
        SessionOptions.Builder options = SessionOptions.newBuilder().setAuThreshold(s.auThreshold())
                .setSmoothingWindow(s.smoothingWindow()).setFace(ProtoMapping.toProto(session.faceMode()));
        if (stage != null && stage.everyFace()) {
            options.setEveryFace(true).setMaxFaces(stage.tracks().maxFaces());
        }
        for (int k = 0; k < s.auThresholds().length; k++) {
            options.putAuThresholds(dev.affect.engine.model.heads.Task.AU.labels().get(k), s.auThresholds()[k]);
        }
        SessionStarted.Builder started = SessionStarted.newBuilder().setSessionId(session.id()).setResumed(resumed)
                .setPipeline(session.pipeline().name()).setOptions(options)
                .setIdleTimeoutMs(service.sessions.idleTimeout().toMillis()).setFramesAnswered(session.framesAnswered());
        s.tasks().forEach(t -> started.addTasks(ProtoMapping.toProto(t)));
        out.onNext(StreamResponse.newBuilder().setStarted(started).build());
    }

    /** Whether an image frame is a camera frame to find the face in. */
    private boolean detects(FrameJob.FrameData data) {
        if (!(data instanceof FrameJob.Image image) || session.faces() == null) {
            return false;
        }
        if (session.faceMode() == FaceMode.DETECT) {
            return true;
        }
        ImageDimensions d = image.dimensions();
        return d.width() != FaceNormalizer.SIZE || d.height() != FaceNormalizer.SIZE;
    }

    private void frame(StreamFrame frame) {
        if (session == null) {
            throw new ProtocolViolationException("a frame before open: the first request must be open");
        }
        if (ending) {
            throw new ProtocolViolationException("a frame after end");
        }
        long index = nextIndex++;
        inFlight++;
        long received = System.nanoTime();
        String model = session.pipeline().name();
        service.sessions.touch(session);
        FrameJob.FrameData data;
        try {
            data = switch (frame.getDataCase()) {
                case IMAGE -> ProtoMapping.image("frame", frame.getImage(), scheduler.budget());
                case NORMALIZED -> ProtoMapping.normalized("frame", frame.getNormalized());
                case DATA_NOT_SET -> throw new InvalidInputException("frame", "neither image nor normalized is set");
            };
        } catch (RuntimeException e) {
            service.metrics.failed(model, GrpcStatusMapper.toStatus(e).getStatus().getCode().name(), false);
            ready.put(index, error(frame, e, received));
            return;
        }
        Session s = session;
        s.frameStarted();
        if (detects(data)) {
            FrameJob.Image image = (FrameJob.Image) data;
            FrameScheduler sc = scheduler;
            s.faces().submit(s.faces().everyFace() ? () -> everyFace.find(index, frame, received, image, s, sc)
                    : () -> findFace(index, frame, received, image, s));
            return;
        }
        FrameJob job = new FrameJob(this, data, "frame", s.state(), false, () -> cancelled, received,
                r -> executor.execute(() -> result(index, frame, received, r, s, null)));
        try {
            scheduler.submit(List.of(job));
        } catch (RuntimeException e) {
            s.frameDone();
            service.metrics.failed(model, GrpcStatusMapper.toStatus(e).getStatus().getCode().name(), false);
            ready.put(index, error(frame, e, received));
        }
    }

    /**
     * On the face pool, in the session's frame order: decodes the camera frame, finds and follows the
     * session's face, and queues its aligned crop; a frame without a face is answered as such and
     * advances nothing.
     */
    private void findFace(long index, StreamFrame frame, long received, FrameJob.Image image, Session s) {
        try {
            if (cancelled) {
                throw new RequestCancelledException("frame: cancelled");
            }
            RgbImage whole = s.faces().service().decode(image, "frame.image", scheduler.budget());
            Optional<SessionFaces.Tracked> face = s.faces().track(whole);
            if (face.isEmpty()) {
                executor.execute(() -> answered(index, StreamResponse.newBuilder().setResult(FrameResult.newBuilder()
                        .setSequence(frame.getSequence()).setTimestampUs(frame.getTimestampUs()).setNoFace(true)
                        .setServerLatencyUs((System.nanoTime() - received) / 1000)).build(), s));
                return;
            }
            // a face taken after the followed one was lost starts its own sequence (the first one's state is zero anyway)
            FrameJob job = new FrameJob(this, new FrameJob.Decoded(face.get().face().crop()), "frame", s.state(), false,
                    () -> cancelled, received, r -> executor.execute(() -> result(index, frame, received, r, s, face.get())),
                    face.get().newTrack());
            scheduler.submit(List.of(job));
        } catch (RuntimeException e) {
            service.metrics.failed(s.pipeline().name(), GrpcStatusMapper.toStatus(e).getStatus().getCode().name(), false);
            executor.execute(() -> answered(index, error(frame, e, received), s));
        }
    }

    /** A frame answered (on the call's serial executor) outside {@link #result}: no face, a failed detection, every face. */
    void answered(long index, StreamResponse response, Session s) {
        s.frameDone();
        synchronized (this) {
            ready.put(index, response);
            drain();
        }
    }

    /** Builds a frame's result (on the call's serial executor) and sends what is next in order. */
    private void result(long index, StreamFrame frame, long received, RowResult r, Session s, SessionFaces.Tracked face) {
        StreamResponse response;
        try {
            if (r.error() != null) {
                response = error(frame, r.error(), received);
                service.metrics.failed(s.pipeline().name(), GrpcStatusMapper.toStatus(r.error()).getStatus().getCode().name(), true);
            } else {
                if (face != null && face.newTrack()) {
                    s.restartSmoothing(); // another person now: their values are not averaged with the last one's
                }
                FrameResult.Builder b = FrameResult.newBuilder().setSequence(frame.getSequence())
                        .setTimestampUs(frame.getTimestampUs())
                        .setAffect(ProtoMapping.affect(s.settings().tasks(), r, s))
                        .setBatchSize(r.batchSize());
                if (face != null) {
                    b.setFace(ProtoMapping.face(face.face(), face.trackId()));
                }
                long latency = System.nanoTime() - received;
                b.setServerLatencyUs(latency / 1000);
                response = StreamResponse.newBuilder().setResult(b).build();
                s.answered();
                service.metrics.succeeded(s.pipeline().name(), latency);
            }
        } catch (RuntimeException e) {
            response = error(frame, e, received);
        } finally {
            s.frameDone();
        }
        synchronized (this) {
            ready.put(index, response);
            drain();
        }
    }

    static StreamResponse error(StreamFrame frame, RuntimeException e, long received) {
        Status status = GrpcStatusMapper.toStatus(e).getStatus();
        return StreamResponse.newBuilder().setResult(FrameResult.newBuilder()
                .setSequence(frame.getSequence()).setTimestampUs(frame.getTimestampUs())
                .setError(FrameError.newBuilder().setCode(status.getCode().value())
                        .setMessage(status.getDescription() == null ? status.getCode().name() : status.getDescription()))
                .setServerLatencyUs((System.nanoTime() - received) / 1000)).build();
    }

    /** Sends results in order while the call is ready, asks for more frames while credit lasts, ends when due. */
    private void drain() {
        if (done) {
            return;
        }
        while (out.isReady() && ready.containsKey(nextToSend)) {
            out.onNext(ready.remove(nextToSend++));
            inFlight--;
        }
        boolean wantMore = session != null && !halfClosed && !ending && !shuttingDown && inFlight < service.sessionCredit;
        if (wantMore && outstanding == 0) {
            if (out.isReady()) {
                outstanding++;
                out.request(1);
            } else {
                wasReady = false;
            }
        }
        maybeFinish();
    }

    private void maybeFinish() {
        if (done || inFlight > 0) {
            return;
        }
        if (shuttingDown) {
            done = true;
            if (session != null) {
                session.detach(this);
            }
            LOG.log(System.Logger.Level.INFO, "stream " + (session == null ? "" : "of session " + session.id() + " ")
                    + "ended: server shutting down");
            out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
            service.ended(this);
        } else if (ending) {
            done = true;
            out.onNext(StreamResponse.newBuilder().setEvent(SessionEvent.newBuilder().setKind(SessionEvent.Kind.ENDED)
                    .setSessionId(session.id()).setMessage("session ended; its state is freed")).build());
            service.sessions.end(session);
            out.onCompleted();
            service.ended(this);
        } else if (halfClosed) {
            done = true;
            if (session != null) {
                session.detach(this);
                service.sessions.touch(session);
            }
            out.onCompleted();
            service.ended(this);
        }
    }

    @Override
    public void onError(Throwable t) {
        onCancel();
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        drain();
    }

    private synchronized void onCancel() {
        cancelled = true;
        if (done) {
            return;
        }
        done = true;
        ready.clear();
        cancelQueued();
        if (session != null) {
            service.sessions.end(session);
        }
        service.ended(this);
    }

    private void fail(StatusRuntimeException status) {
        done = true;
        cancelled = true;
        cancelQueued();
        if (session != null) {
            service.sessions.end(session);
        }
        out.onError(status);
        service.ended(this);
    }

    @Override
    public synchronized void evicted(String message) {
        if (done) {
            return;
        }
        done = true;
        cancelled = true;
        cancelQueued();
        out.onNext(StreamResponse.newBuilder().setEvent(SessionEvent.newBuilder().setKind(SessionEvent.Kind.EVICTED)
                .setSessionId(session.id()).setMessage(message)).build());
        out.onError(Status.ABORTED.withDescription("session " + session.id() + " was evicted: " + message).asRuntimeException());
        service.ended(this);
    }

    /** Drops this stream's queued frames: its own, and each every-face track's (the tracks own their frames). */
    private void cancelQueued() {
        if (scheduler == null) {
            return;
        }
        scheduler.cancel(this);
        SessionFaces stage = session == null ? null : session.faces();
        if (stage != null && stage.everyFace()) {
            stage.tracks().live().forEach(scheduler::cancel);
        }
    }

    synchronized void shutDown() {
        if (done || shuttingDown) {
            return;
        }
        shuttingDown = true;
        if (session != null) {
            out.onNext(StreamResponse.newBuilder().setEvent(SessionEvent.newBuilder().setKind(SessionEvent.Kind.SHUTTING_DOWN)
                    .setSessionId(session.id()).setMessage("the server is shutting down; frames received are answered")).build());
        }
        drain();
    }
}
