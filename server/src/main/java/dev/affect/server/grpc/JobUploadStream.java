package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.proto.v1.FrameLabel;
import dev.affect.proto.v1.Job;
import dev.affect.proto.v1.LabelledFrame;
import dev.affect.proto.v1.StartJobStreamRequest;
import dev.affect.server.jobs.AbawUpload;
import dev.affect.server.jobs.DataRoots;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.JobSpec;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * One StartJobStream call: {@code start} (the spec), then labelled frames written to disk one by one
 * as an {@link AbawUpload}; on half-close the upload becomes the job's data root and the job is
 * queued. Flow control is manual: the next message is requested only once the last one is on disk,
 * so a fast client waits on the transport instead of filling the server's memory. Any error or a
 * cancelled call deletes what was written. Errors name the message by its position in the stream
 * ({@code frames[i]}, counted from 0 after {@code start}) and the field.
 */
final class JobUploadStream implements StreamObserver<StartJobStreamRequest> {
    private final JobManager jobs;
    private final DataRoots roots;
    private final ServerCallStreamObserver<Job> out;
    private JobSpec spec;
    private AbawUpload upload;
    private long frames;
    private boolean ended;

    /** @param jobs null when the server runs no jobs (the start is refused) */
    JobUploadStream(JobManager jobs, DataRoots roots, ServerCallStreamObserver<Job> out) {
        this.jobs = jobs;
        this.roots = roots;
        this.out = out;
    }

    /** Asks for the first message; call once the call's auto-request is disabled. */
    void begin() {
        out.request(1);
    }

    @Override
    public void onNext(StartJobStreamRequest request) {
        if (ended) {
            return;
        }
        try {
            if (request.hasStart()) {
                start(request);
            } else if (request.hasFrame()) {
                frame(request);
            } else {
                throw new InvalidInputException(upload == null ? "start" : where(), "neither start nor frame");
            }
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        out.request(1);
    }

    private void start(StartJobStreamRequest request) {
        if (spec != null) {
            throw new InvalidInputException("start", "sent twice; start comes once, first");
        }
        if (jobs == null) {
            throw Status.FAILED_PRECONDITION.withDescription("this server runs no training jobs (no trainer is"
                    + " configured)").asRuntimeException();
        }
        if (roots.isEmpty()) {
            throw Status.FAILED_PRECONDITION.withDescription("this server has no data root for the backbone (start it"
                    + " with --data-root)").asRuntimeException();
        }
        JobSpec checked = JobProtoMapping.uploadSpec(request.getStart().getSpec(), roots);
        jobs.check(checked);
        try {
            upload = jobs.newUpload();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an upload folder in the jobs folder", e);
        }
        spec = checked;
    }

    private void frame(StartJobStreamRequest request) {
        String at = where();
        if (upload == null) {
            throw new InvalidInputException(at, "a frame before start; start comes first");
        }
        LabelledFrame f = request.getFrame();
        AbawSplit split = switch (request.getSplit()) {
            case DATA_SPLIT_UNSPECIFIED -> null;
            case DATA_SPLIT_TRAIN -> AbawSplit.TRAIN;
            case DATA_SPLIT_VALIDATION -> AbawSplit.VALIDATION;
            default -> throw new InvalidInputException(at + ".split", "unknown split " + request.getSplitValue());
        };
        int index = request.getIndex();
        if (index < 0 || index > AbawUpload.MAX_INDEX) { // a uint32 above 2^31 reads negative
            throw new InvalidInputException(at + ".index", "must be at most " + AbawUpload.MAX_INDEX + ", got "
                    + Integer.toUnsignedString(index));
        }
        byte[] image = null;
        if (f.hasFrame()) {
            if (f.getFrame().hasNormalized()) {
                throw new InvalidInputException(at + ".frame.normalized", "not accepted here: send the encoded JPEG or"
                        + " PNG crop (frame.image), which is what the job's data root holds");
            }
            if (!f.getFrame().hasImage()) {
                throw new InvalidInputException(at + ".frame.image", "required when frame is set: an encoded JPEG or PNG"
                        + " face crop (leave frame unset for a frame without a face)");
            }
            image = f.getFrame().getImage().toByteArray();
        }
        upload.frame(at, f.getVideo(), split, index, image, labels(f.getLabel(), at + ".label"));
        frames++;
    }

    /** The frame's label per task it has one for, checked against the ABAW ranges (invalid markers allowed). */
    static Map<AbawTask, float[]> labels(FrameLabel l, String at) {
        Map<AbawTask, float[]> out = new EnumMap<>(AbawTask.class);
        if (l.hasValence() || l.hasArousal()) {
            if (!l.hasValence()) {
                throw new InvalidInputException(at + ".valence", "required with arousal: valence and arousal come together");
            }
            if (!l.hasArousal()) {
                throw new InvalidInputException(at + ".arousal", "required with valence: valence and arousal come together");
            }
            checkVa(l.getValence(), at + ".valence");
            checkVa(l.getArousal(), at + ".arousal");
            out.put(AbawTask.VA, new float[] {l.getValence(), l.getArousal()});
        }
        if (l.hasExpression()) {
            int e = l.getExpression();
            if (e < -1 || e > 7) {
                throw new InvalidInputException(at + ".expression", "must be 0..7 or -1, got " + e);
            }
            out.put(AbawTask.EXPR, new float[] {e});
        }
        if (l.getActionUnitsCount() > 0) {
            int n = AbawTask.AU.fields();
            if (l.getActionUnitsCount() != n) {
                throw new InvalidInputException(at + ".action_units", "needs " + n + " values, got "
                        + l.getActionUnitsCount());
            }
            float[] au = new float[n];
            for (int k = 0; k < n; k++) {
                int v = l.getActionUnits(k);
                if (v < -1 || v > 1) {
                    throw new InvalidInputException(at + ".action_units[" + k + "]", "must be 0, 1 or -1, got " + v);
                }
                au[k] = v;
            }
            out.put(AbawTask.AU, au);
        }
        return out;
    }

    private static void checkVa(float v, String field) {
        if (!(v == AbawTask.VA_INVALID || (v >= -1 && v <= 1))) {
            throw new InvalidInputException(field, "must be in [-1, 1] or -5, got " + v);
        }
    }

    @Override
    public void onError(Throwable t) {
        end(); // the client cancelled or the call broke: nothing stays behind
    }

    @Override
    public void onCompleted() {
        if (ended) {
            return;
        }
        Job job;
        try {
            if (upload == null) {
                throw new InvalidInputException("start", "the stream ended before start");
            }
            job = JobProtoMapping.toProto(jobs.submit(spec, upload));
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        end();
        out.onNext(job);
        out.onCompleted();
    }

    private String where() {
        return "frames[" + frames + "]";
    }

    private void fail(RuntimeException e) {
        end();
        out.onError(TrainingStatus.of(e));
    }

    private void end() {
        if (!ended) {
            ended = true;
            if (upload != null) {
                upload.close();
            }
        }
    }
}
