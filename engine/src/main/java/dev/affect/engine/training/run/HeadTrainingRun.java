package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.data.WindowedSplit;
import dev.affect.engine.training.optim.LearningRate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Trains a head on cached embeddings through the {@link EpochLoop}: the training windows shuffled
 * per epoch, validation with the challenge metrics, an atomic checkpoint per epoch into the run
 * folder ({@link RunDirectory}). A run resumed from its folder restores the last checkpoint's
 * weights, optimiser state and epoch and so ends with the same weights, bit for bit, as a run never
 * interrupted. A non-finite loss ends the run FAILED, naming the epoch and step.
 */
public final class HeadTrainingRun {
    /** Windows per prediction batch in validation (any size gives the same scores). */
    static final int VALIDATION_BATCH = 64;

    private final RunDirectory dir;
    private final RunConfig config;
    private final RunData data;
    private final TrainableHead.Factory heads;
    private final RunListener listener;
    private final BooleanSupplier cancelled;

    private HeadTrainingRun(RunDirectory dir, RunConfig config, RunData data, TrainableHead.Factory heads,
            RunListener listener, BooleanSupplier cancelled) {
        this.dir = dir;
        this.config = config;
        this.data = data;
        this.heads = heads;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /** Starts a run in {@code out}, which must be absent or empty, and trains it to the end. */
    public static RunResult start(Path out, RunConfig config, RunData data, TrainableHead.Factory heads,
            RunListener listener, BooleanSupplier cancelled) throws IOException {
        requireWindow(config, data);
        RunDirectory dir = new RunDirectory(out, RunDirectory.HEAD);
        dir.create(new RunDirectory.Manifest(config, data.backboneHash()));
        return new HeadTrainingRun(dir, config, data, heads, listener, cancelled).train();
    }

    /** The config of the run in {@code out}, to open its data with before {@link #resume}. */
    public static RunConfig storedConfig(Path out) throws IOException {
        return new RunDirectory(out, RunDirectory.HEAD).manifest().config();
    }

    /**
     * Continues the run in {@code out} from its last checkpoint (from the start when no epoch was
     * committed) with its stored config; {@code data} must come from the same backbone.
     */
    public static RunResult resume(Path out, RunData data, TrainableHead.Factory heads, RunListener listener,
            BooleanSupplier cancelled) throws IOException {
        RunDirectory dir = new RunDirectory(out, RunDirectory.HEAD);
        RunDirectory.Manifest manifest = dir.manifest();
        if (!manifest.backboneHash().equals(data.backboneHash())) {
            throw new InvalidInputException("checkpoint", "the run in " + out + " trained on embeddings of backbone "
                    + manifest.backboneHash() + ", these are of " + data.backboneHash());
        }
        requireWindow(manifest.config(), data);
        return new HeadTrainingRun(dir, manifest.config(), data, heads, listener, cancelled).train();
    }

    private static void requireWindow(RunConfig config, RunData data) {
        if (!data.train().spec().equals(config.window())) {
            throw new IllegalArgumentException("training windows " + data.train().spec() + " differ from the config's "
                    + config.window() + "; open the data with RunData.open for this config");
        }
    }

    private RunResult train() throws IOException {
        WindowedSplit train = data.train();
        LearningRate rate = EpochLoop.rate(config, train.size());
        try (HeadTrainee trainee = new HeadTrainee(heads.create(config, train.width(), rate), data)) {
            return EpochLoop.run(dir, config, trainee, rate, listener, cancelled);
        }
    }

    /** A head stepping through the training windows, validated on every frame of the validation split. */
    private record HeadTrainee(TrainableHead head, RunData data) implements Trainee {
        @Override
        public int size() {
            return data.train().size();
        }

        @Override
        public double step(int[] order, int from, int to) {
            try (WindowBatch batch = data.train().batch(order, from, to)) {
                return head.step(batch);
            }
        }

        @Override
        public Validation.Scores validate() {
            return Validation.score(head, data.validation(), VALIDATION_BATCH);
        }

        @Override
        public StateDict weights() {
            return head.weights();
        }

        @Override
        public StateDict optimizerState() {
            return head.optimizerState();
        }

        @Override
        public void restore(StateDict weights, StateDict optimizerState) {
            head.restore(weights, optimizerState);
        }

        @Override
        public void close() {
            head.close();
        }
    }
}
