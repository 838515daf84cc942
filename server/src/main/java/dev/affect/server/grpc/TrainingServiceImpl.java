package dev.affect.server.grpc;

import dev.affect.proto.v1.CancelJobRequest;
import dev.affect.proto.v1.GetJobRequest;
import dev.affect.proto.v1.Job;
import dev.affect.proto.v1.JobEvent;
import dev.affect.proto.v1.ListJobsRequest;
import dev.affect.proto.v1.ListJobsResponse;
import dev.affect.proto.v1.PromoteJobRequest;
import dev.affect.proto.v1.PromoteJobResponse;
import dev.affect.proto.v1.StartJobRequest;
import dev.affect.proto.v1.StartJobStreamRequest;
import dev.affect.proto.v1.TrainingServiceGrpc;
import dev.affect.proto.v1.WatchJobRequest;
import dev.affect.server.jobs.DataRoots;
import dev.affect.server.jobs.HeadPromoter;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.JobRecord;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * affect.v1.TrainingService over a {@link JobManager}. Requests only check, queue and read: jobs run
 * on the manager's own executor, and watch events are written on the shared response executor.
 */
public final class TrainingServiceImpl extends TrainingServiceGrpc.TrainingServiceImplBase {
    private final JobManager jobs;
    private final DataRoots roots;
    private final HeadPromoter promoter;
    private final Executor responses;

    /** @param jobs null when the server cannot train (every call: FAILED_PRECONDITION) */
    public TrainingServiceImpl(JobManager jobs, DataRoots roots, HeadPromoter promoter, Executor responses) {
        this.jobs = jobs;
        this.roots = Objects.requireNonNull(roots, "roots");
        this.promoter = Objects.requireNonNull(promoter, "promoter");
        this.responses = Objects.requireNonNull(responses, "responses");
    }

    @Override
    public void startJob(StartJobRequest request, StreamObserver<Job> out) {
        answer(out, () -> {
            if (roots.isEmpty()) {
                throw Status.FAILED_PRECONDITION.withDescription("this server has no data root to train on (start it"
                        + " with --data-root)").asRuntimeException();
            }
            return JobProtoMapping.toProto(jobs().submit(JobProtoMapping.spec(request.getSpec(), roots)));
        });
    }

    @Override
    public StreamObserver<StartJobStreamRequest> startJobStream(StreamObserver<Job> out) {
        ServerCallStreamObserver<Job> call = (ServerCallStreamObserver<Job>) out;
        call.disableAutoRequest(); // one message at a time, the next once the last is on disk
        JobUploadStream upload = new JobUploadStream(jobs, roots, call);
        upload.begin();
        return upload;
    }

    @Override
    public void watchJob(WatchJobRequest request, StreamObserver<JobEvent> out) {
        try {
            new JobEventSender((ServerCallStreamObserver<JobEvent>) out, responses).start(jobs(), request.getId());
        } catch (RuntimeException e) {
            out.onError(TrainingStatus.of(e));
        }
    }

    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> out) {
        answer(out, () -> JobProtoMapping.toProto(jobs().get(request.getId())));
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> out) {
        answer(out, () -> {
            ListJobsResponse.Builder b = ListJobsResponse.newBuilder();
            jobs().list(JobProtoMapping.state(request.getState())).forEach(j -> b.addJobs(JobProtoMapping.toProto(j)));
            return b.build();
        });
    }

    @Override
    public void cancelJob(CancelJobRequest request, StreamObserver<Job> out) {
        answer(out, () -> JobProtoMapping.toProto(jobs().cancel(request.getId())));
    }

    @Override
    public void promoteJob(PromoteJobRequest request, StreamObserver<PromoteJobResponse> out) {
        answer(out, () -> {
            JobRecord job = jobs().get(request.getId());
            ServedPipeline served = promoter.promote(job, request.getPipeline());
            return PromoteJobResponse.newBuilder().setPipeline(ProtoMapping.toModelInfo(served))
                    .setTask(ProtoMapping.toProto(job.spec().task())).build();
        });
    }

    private JobManager jobs() {
        if (jobs == null) {
            throw Status.FAILED_PRECONDITION.withDescription("this server runs no training jobs (no trainer is"
                    + " configured)").asRuntimeException();
        }
        return jobs;
    }

    private static <T> void answer(StreamObserver<T> out, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (Exception e) {
            out.onError(TrainingStatus.of(e));
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }
}
