package dev.affect.server.grpc;

import dev.affect.engine.image.RgbImage;
import dev.affect.proto.v1.FaceAffect;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.server.face.SessionFaces;
import dev.affect.server.schedule.FrameJob;
import dev.affect.server.schedule.FrameScheduler;
import dev.affect.server.schedule.RequestCancelledException;
import dev.affect.server.schedule.RowResult;
import dev.affect.server.schedule.SerialExecutor;
import dev.affect.server.stream.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The every-face frames of one stream. On the face pool, in the session's frame order, a camera
 * frame's faces are found and followed ({@link SessionFaces#trackEvery}); they are queued together
 * (one {@code submit}, so they can share a batch), each with its own track's state and the track as
 * the scheduler's owner. Each face's result is smoothed by its track's window on the call's serial
 * executor, in the order the scheduler answers them (each track's frames in order); the frame is
 * answered once its last face is, its faces in descending score.
 *
 * <p>When a face fails, the frame is answered with that face's error and no faces; the frame's other
 * faces did run, so their tracks' LSTM state and smoothing window have advanced by this frame (a
 * later frame of those tracks continues from it). A frame without a face is answered with
 * {@code no_face} and advances no track; it counts as missed for every track.
 */
final class EveryFaceFrames {
    private final AffectServiceImpl service;
    private final StreamCall call;
    private final SerialExecutor executor;
    private final BooleanSupplier cancelled;

    EveryFaceFrames(AffectServiceImpl service, StreamCall call, SerialExecutor executor, BooleanSupplier cancelled) {
        this.service = service;
        this.call = call;
        this.executor = executor;
        this.cancelled = cancelled;
    }

    /** On the face pool, in the session's frame order: decodes the frame, follows its faces, queues them. */
    void find(long index, StreamFrame frame, long received, FrameJob.Image image, Session s, FrameScheduler scheduler) {
        try {
            if (cancelled.getAsBoolean()) {
                throw new RequestCancelledException("frame: cancelled");
            }
            RgbImage whole = s.faces().service().decode(image, "frame.image", scheduler.budget());
            List<SessionFaces.TrackedFace> faces = s.faces().trackEvery(whole);
            if (faces.isEmpty()) {
                executor.execute(() -> call.answered(index, StreamResponse.newBuilder().setResult(FrameResult.newBuilder()
                        .setSequence(frame.getSequence()).setTimestampUs(frame.getTimestampUs()).setNoFace(true)
                        .setServerLatencyUs((System.nanoTime() - received) / 1000)).build(), s));
                return;
            }
            Gather gather = new Gather(index, frame, received, s, faces.size());
            List<FrameJob> jobs = new ArrayList<>(faces.size());
            for (int i = 0; i < faces.size(); i++) {
                SessionFaces.TrackedFace face = faces.get(i);
                int slot = i;
                // a new track's state is fresh (zero): it needs no reset
                jobs.add(new FrameJob(face.track(), new FrameJob.Decoded(face.face().crop()), "frame", face.track().state(),
                        false, cancelled, received, r -> executor.execute(() -> gather.done(slot, face, r))));
            }
            try {
                scheduler.submit(jobs);
            } catch (RuntimeException e) {
                faces.forEach(f -> f.track().frameDone());
                throw e;
            }
        } catch (RuntimeException e) {
            service.metrics.failed(s.pipeline().name(), GrpcStatusMapper.toStatus(e).getStatus().getCode().name(), false);
            executor.execute(() -> call.answered(index, StreamCall.error(frame, e, received), s));
        }
    }

    /** One frame's faces, gathered on the call's serial executor (so without a lock) until the last is answered. */
    private final class Gather {
        private final long index;
        private final StreamFrame frame;
        private final long received;
        private final Session session;
        private final FaceAffect[] faces;
        private int pending;
        private int batchSize;
        private RuntimeException error;

        Gather(long index, StreamFrame frame, long received, Session session, int faces) {
            this.index = index;
            this.frame = frame;
            this.received = received;
            this.session = session;
            this.faces = new FaceAffect[faces];
            this.pending = faces;
        }

        void done(int slot, SessionFaces.TrackedFace face, RowResult r) {
            String model = session.pipeline().name();
            try {
                if (r.error() != null) {
                    service.metrics.failed(model, GrpcStatusMapper.toStatus(r.error()).getStatus().getCode().name(), true);
                    error = error == null ? r.error() : error;
                } else {
                    faces[slot] = FaceAffect.newBuilder().setFace(ProtoMapping.face(face.face(), face.track().trackId()))
                            .setAffect(ProtoMapping.affect(session.settings().tasks(), r, session.settings().auThresholds(),
                                    face.track()::smooth)).build();
                    batchSize = Math.max(batchSize, r.batchSize());
                    service.metrics.succeeded(model, System.nanoTime() - received);
                }
            } catch (RuntimeException e) {
                error = error == null ? e : error;
            } finally {
                face.track().frameDone();
            }
            if (--pending == 0) {
                answer();
            }
        }

        private void answer() {
            StreamResponse response;
            if (error != null) {
                response = StreamCall.error(frame, error, received);
            } else {
                FrameResult.Builder b = FrameResult.newBuilder().setSequence(frame.getSequence())
                        .setTimestampUs(frame.getTimestampUs()).setBatchSize(batchSize);
                for (FaceAffect f : faces) {
                    b.addFaces(f);
                }
                b.setServerLatencyUs((System.nanoTime() - received) / 1000);
                response = StreamResponse.newBuilder().setResult(b).build();
                session.answered();
            }
            call.answered(index, response, session);
        }
    }
}
