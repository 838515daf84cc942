package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.proto.v1.HyperParameters;
import dev.affect.proto.v1.Job;
import dev.affect.proto.v1.JobEvent;
import dev.affect.proto.v1.Metric;
import dev.affect.server.jobs.DataRoots;
import dev.affect.server.jobs.HeadKind;
import dev.affect.server.jobs.Hyper;
import dev.affect.server.jobs.JobRecord;
import dev.affect.server.jobs.JobSpec;
import dev.affect.server.jobs.JobState;
import dev.affect.server.jobs.JobStatus;
import dev.affect.server.jobs.MetricPoint;
import java.util.List;

/** Jobs between the wire (affect.v1 training.proto) and the job manager's records. */
final class JobProtoMapping {
    private JobProtoMapping() {
    }

    /**
     * A request's spec, checked: enums and numbers first (INVALID_ARGUMENT naming the field), then the
     * paths against the data roots (PERMISSION_DENIED, NOT_FOUND).
     */
    static JobSpec spec(dev.affect.proto.v1.JobSpec s, DataRoots roots) {
        JobSpec checked = checked(s);
        String backbone = roots.resolve(s.getBackbone(), "spec.backbone").toString();
        String data = roots.resolve(s.getDataRoot(), "spec.data_root").toString();
        return checked.withBackbone(backbone).withDataRoot(data);
    }

    /**
     * The spec of a job on uploaded frames (StartJobStream): checked as {@link #spec}, with an empty
     * data root that the upload fills in.
     */
    static JobSpec uploadSpec(dev.affect.proto.v1.JobSpec s, DataRoots roots) {
        if (!s.getDataRoot().isEmpty()) {
            throw new InvalidInputException("spec.data_root", "must be empty: the frames streamed are the job's data");
        }
        JobSpec checked = checked(s);
        return checked.withBackbone(roots.resolve(s.getBackbone(), "spec.backbone").toString());
    }

    /** Enums and numbers checked and defaults filled in; the paths left empty. */
    private static JobSpec checked(dev.affect.proto.v1.JobSpec s) {
        if (s.getTask() == dev.affect.proto.v1.Task.TASK_UNSPECIFIED) {
            throw new InvalidInputException("spec.task", "required: TASK_VA, TASK_EXPR or TASK_AU");
        }
        var task = ProtoMapping.task(s.getTask(), "spec.task");
        HeadKind head = switch (s.getHead()) {
            case HEAD_FC -> HeadKind.FC;
            case HEAD_LSTM -> HeadKind.LSTM;
            case FULL_FINE_TUNE -> HeadKind.FULL_FINE_TUNE;
            case HEAD_KIND_UNSPECIFIED -> throw new InvalidInputException("spec.head", "required: HEAD_FC, HEAD_LSTM or"
                    + " FULL_FINE_TUNE");
            default -> throw new InvalidInputException("spec.head", "unknown head kind " + s.getHeadValue());
        };
        HyperParameters h = s.getHyper();
        // an unset field takes its default; a set one is checked as given, zero included
        Hyper hyper = new Hyper(h.hasLearningRate() ? h.getLearningRate() : Hyper.defaultLearningRate(head),
                h.hasEpochs() ? h.getEpochs() : Hyper.DEFAULT_EPOCHS,
                h.hasBatchSize() ? h.getBatchSize() : Hyper.DEFAULT_BATCH_SIZE,
                h.hasWindow() ? h.getWindow() : Hyper.DEFAULT_WINDOW, h.getWeightDecay(), h.getSeed());
        JobSpec unchecked = new JobSpec(task, head, "", "", hyper, s.getValidationSplit(), s.getKeepBest(), s.getBestMetric(),
                s.getDisplayName());
        return unchecked.normalized();
    }

    static dev.affect.proto.v1.JobSpec toProto(JobSpec s) {
        Hyper h = s.hyper();
        return dev.affect.proto.v1.JobSpec.newBuilder()
                .setTask(ProtoMapping.toProto(s.task()))
                .setHead(switch (s.head()) {
                    case FC -> dev.affect.proto.v1.HeadKind.HEAD_FC;
                    case LSTM -> dev.affect.proto.v1.HeadKind.HEAD_LSTM;
                    case FULL_FINE_TUNE -> dev.affect.proto.v1.HeadKind.FULL_FINE_TUNE;
                })
                .setBackbone(s.backbone())
                .setDataRoot(s.dataRoot())
                .setHyper(HyperParameters.newBuilder().setLearningRate(h.learningRate()).setEpochs(h.epochs())
                        .setBatchSize(h.batchSize()).setWindow(h.window()).setWeightDecay(h.weightDecay()).setSeed(h.seed()))
                .setValidationSplit(s.validationSplit())
                .setKeepBest(s.keepBest())
                .setBestMetric(s.bestMetric())
                .setDisplayName(s.displayName())
                .build();
    }

    static Job toProto(JobRecord job) {
        JobStatus s = job.status();
        return Job.newBuilder()
                .setId(job.id())
                .setSpec(toProto(job.spec()))
                .setState(toProto(s.state()))
                .setEpoch(s.epoch())
                .setEpochs(s.epochs())
                .setStep(s.step())
                .addAllMetrics(metrics(s.metrics()))
                .addAllValidationMetrics(metrics(s.validation()))
                .setEtaMs(s.etaMs())
                .setCreatedMs(s.createdMs())
                .setStartedMs(s.startedMs())
                .setEndedMs(s.endedMs())
                .setError(s.error())
                .setFailedStep(s.failedStep())
                .setResumedFromEpoch(s.resumedFromEpoch())
                .setHeadCheckpoint(s.headCheckpoint())
                .build();
    }

    static JobEvent toProto(dev.affect.server.jobs.JobEvent e) {
        return JobEvent.newBuilder()
                .setKind(switch (e.kind()) {
                    case SNAPSHOT -> JobEvent.Kind.SNAPSHOT;
                    case STATE -> JobEvent.Kind.STATE;
                    case PROGRESS -> JobEvent.Kind.PROGRESS;
                    case EPOCH -> JobEvent.Kind.EPOCH;
                })
                .setJob(toProto(e.job()))
                .addAllMetrics(metrics(e.metrics()))
                .setDropped(e.dropped())
                .build();
    }

    static dev.affect.proto.v1.JobState toProto(JobState s) {
        return switch (s) {
            case PENDING -> dev.affect.proto.v1.JobState.PENDING;
            case RUNNING -> dev.affect.proto.v1.JobState.RUNNING;
            case SUCCEEDED -> dev.affect.proto.v1.JobState.SUCCEEDED;
            case FAILED -> dev.affect.proto.v1.JobState.FAILED;
            case CANCELLED -> dev.affect.proto.v1.JobState.CANCELLED;
        };
    }

    /** A state filter: null (every state) for JOB_STATE_UNSPECIFIED. */
    static JobState state(dev.affect.proto.v1.JobState s) {
        return switch (s) {
            case JOB_STATE_UNSPECIFIED -> null;
            case PENDING -> JobState.PENDING;
            case RUNNING -> JobState.RUNNING;
            case SUCCEEDED -> JobState.SUCCEEDED;
            case FAILED -> JobState.FAILED;
            case CANCELLED -> JobState.CANCELLED;
            default -> throw new InvalidInputException("state", "unknown job state " + s);
        };
    }

    private static List<Metric> metrics(List<MetricPoint> points) {
        return points.stream().map(p -> Metric.newBuilder().setKey(p.key()).setValue(p.value()).setStep(p.step())
                .setTimestampMs(p.timestampMs()).build()).toList();
    }
}
