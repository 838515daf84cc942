package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.proto.v1.Job;
import dev.affect.proto.v1.LabelledFrame;
import dev.affect.proto.v1.StartJobStreamRequest;
import dev.affect.server.jobs.AbawUpload;
import dev.affect.server.jobs.DataRoots;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.JobSpec;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One StartJobStream call: {@code start} (the spec), then labelled frames written to disk one by one
 * as an {@link AbawUpload}; on half-close the upload becomes the job's data root and the job is
 * queued. Flow control is manual: the next message is requested only once the last one is on disk,
 * so a fast client waits on the transport instead of filling the server's memory. Any error or a
 * cancelled call deletes what was written. Errors name the message by its position in the stream
 * ({@code frames[i]}, counted from 0 after {@code start}) and the field.
 */
final class JobUploadStream extends StartThenFrames<StartJobStreamRequest, Job> {
    private final JobManager jobs;
    private final DataRoots roots;
    private final ServerCallStreamObserver<Job> out;
    private JobSpec spec;
    private AbawUpload upload;

    /** @param jobs null when the server runs no jobs (the start is refused) */
    JobUploadStream(JobManager jobs, DataRoots roots, ServerCallStreamObserver<Job> out) {
        super(out);
        this.jobs = jobs;
        this.roots = roots;
        this.out = out;
    }

    /** Asks for the first message; call once the call's auto-request is disabled. */
    void begin() {
        out.request(1);
    }

    @Override
    protected void accept(StartJobStreamRequest request) {
        if (request.hasStart()) {
            start(request);
        } else if (request.hasFrame()) {
            frame(request);
        } else {
            throw new InvalidInputException(upload == null ? "start" : where(), "neither start nor frame");
        }
    }

    /** The last message is on disk: only now is the next one read (manual flow control). */
    @Override
    protected void accepted() {
        out.request(1);
    }

    @Override
    protected boolean started() {
        return upload != null;
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
        upload.frame(at, f.getVideo(), split, index, image, FrameLabels.of(f.getLabel(), at + ".label"));
        frames++;
    }

    @Override
    protected Job finish() {
        return JobProtoMapping.toProto(jobs.submit(spec, upload));
    }

    @Override
    protected void release() {
        if (upload != null) {
            upload.close();
        }
    }
}
