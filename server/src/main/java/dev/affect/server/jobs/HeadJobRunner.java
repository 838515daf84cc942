package dev.affect.server.jobs;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.training.run.BackboneTrainingRun;
import dev.affect.engine.training.run.GraphTrainableHead;
import dev.affect.engine.training.run.HeadTrainingRun;
import dev.affect.engine.training.run.RunConfig;
import dev.affect.engine.training.run.RunData;
import dev.affect.engine.training.run.RunResult;
import dev.affect.engine.training.run.TrainableHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The server's trainer: a job's FC or LSTM head trained by the engine's {@link HeadTrainingRun} on
 * the frozen backbone's embeddings, or the whole backbone fine-tuned on the EXPR frames by
 * {@link BackboneTrainingRun} (its result is a DDAMFN checkpoint, not a head). The embeddings come through a cache under the jobs folder
 * ({@link JobEmbeddings}), so a second job on the same data and backbone never runs the backbone
 * again; the run checkpoints every epoch into the job's run folder, keeps the best N by the job's
 * metric, and a job found there after a restart resumes from its last checkpoint with the same
 * final weights. A non-finite loss ends the job FAILED with its step.
 */
public final class HeadJobRunner implements JobRunner {
    /** The backend jobs train on when not told otherwise: cpu where oneDNN runs, else reference. */
    public static final String DEFAULT_TRAINING_BACKEND = "auto";

    private final JobEmbeddings embeddings;
    private final Supplier<Backend> trainingBackend;
    private final Function<Backend, TrainableHead.Factory> heads;

    /**
     * @param embeddings      where and how the backbone embeds a job's data
     * @param trainingBackend opens the backend a job's head trains on (closed when the job ends)
     * @param heads           the trainable heads on that backend ({@link GraphTrainableHead#on})
     */
    public HeadJobRunner(JobEmbeddings embeddings, Supplier<Backend> trainingBackend,
            Function<Backend, TrainableHead.Factory> heads) {
        this.embeddings = Objects.requireNonNull(embeddings, "embeddings");
        this.trainingBackend = Objects.requireNonNull(trainingBackend, "trainingBackend");
        this.heads = Objects.requireNonNull(heads, "heads");
    }

    /** Embeddings cached under {@code jobsDir}, the backbone on {@code backbone}, heads trained on a backend by name. */
    public static HeadJobRunner of(Path jobsDir, Supplier<Backend> backbone, String trainingBackend) {
        if (!trainingBackend.equals("auto")) {
            Backends.provider(trainingBackend); // an unknown name fails now, not in every job
        }
        return new HeadJobRunner(new JobEmbeddings(jobsDir.resolve(JobEmbeddings.FOLDER), backbone),
                () -> Backends.open(trainingBackend), GraphTrainableHead::on);
    }

    @Override
    public void check(JobSpec spec) {
        HeadRunConfigs.of(spec);
    }

    @Override
    public JobResult run(JobContext context) throws Exception {
        JobSpec spec = context.spec();
        Path out = context.runDir();
        boolean resume = holdsRun(out);
        RunConfig config = resume ? HeadTrainingRun.storedConfig(out) : HeadRunConfigs.of(spec);
        Path dataRoot = Path.of(spec.dataRoot());
        AbawDataset dataset = AbawDataset.open(dataRoot);
        RunResult result = config.head() == dev.affect.engine.training.run.HeadKind.BACKBONE
                ? fineTune(context, config, dataset, resume) : trainHead(context, config, dataset, resume);
        return switch (result.status()) {
            case SUCCEEDED -> new JobResult(result.bestWeights());
            case CANCELLED -> throw new JobCancelledException("stopped after epoch " + result.state().completedEpochs());
            case FAILED -> {
                RunResult.Divergence d = result.divergence().orElseThrow();
                throw new JobDivergedException(d.epoch(), d.globalStep(), d.message());
            }
        };
    }

    private RunResult fineTune(JobContext context, RunConfig config, AbawDataset dataset, boolean resume)
            throws IOException {
        Path out = context.runDir();
        StateDict start = CheckpointFiles.read(Path.of(context.spec().backbone()));
        FacePreprocessor faces = new FacePreprocessor(ImageDecoder.best());
        JobRunListener listener = new JobRunListener(context, "frames_per_second");
        try (Backend training = trainingBackend.get()) {
            return resume
                    ? BackboneTrainingRun.resume(out, dataset, start, training, faces, listener, context::stopRequested)
                    : BackboneTrainingRun.start(out, config, dataset, start, training, faces, listener,
                            context::stopRequested);
        }
    }

    private RunResult trainHead(JobContext context, RunConfig config, AbawDataset dataset, boolean resume)
            throws IOException {
        JobSpec spec = context.spec();
        Path out = context.runDir();
        Path dataRoot = Path.of(spec.dataRoot());
        try (JobEmbeddings.Open cache = embeddings.open(Path.of(spec.backbone()), dataRoot, dataset, config, context);
             Backend training = trainingBackend.get()) {
            RunData data = RunData.open(dataset, cache.cache(), config);
            TrainableHead.Factory factory = heads.apply(training);
            JobRunListener listener = new JobRunListener(context, "windows_per_second");
            return resume
                    ? HeadTrainingRun.resume(out, data, factory, listener, context::stopRequested)
                    : HeadTrainingRun.start(out, config, data, factory, listener, context::stopRequested);
        }
    }

    /**
     * Whether the run folder holds a run to resume. A folder with no file at all (a server stopped
     * while creating it) is emptied so that the run starts afresh.
     */
    private static boolean holdsRun(Path out) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(out)) {
            entries = walk.sorted(Comparator.reverseOrder()).toList();
        }
        if (entries.stream().anyMatch(Files::isRegularFile)) {
            return true;
        }
        for (Path p : entries) {
            if (!p.equals(out)) {
                Files.delete(p);
            }
        }
        return false;
    }
}
