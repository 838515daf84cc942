package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.training.data.EpochOrder;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.data.WindowedSplit;
import dev.affect.engine.training.optim.LearningRate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Trains a head on cached embeddings: per epoch, the training windows in the order {@link
 * EpochOrder} gives for (seed, epoch), in batches, one optimiser step each at the schedule's rate;
 * then validation with the challenge metrics, and an atomic checkpoint into the run folder ({@link
 * RunDirectory}) keeping the best epochs by the config's metric. A run resumed from its folder
 * restores the last checkpoint's weights, optimiser state and epoch and so ends with the same weights,
 * bit for bit, as a run never interrupted. A non-finite loss ends the run FAILED, naming the epoch
 * and step; cancellation is checked before every step and ends it CANCELLED at the last checkpoint.
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
        RunDirectory dir = new RunDirectory(out);
        dir.create(new RunDirectory.Manifest(config, data.backboneHash()));
        return new HeadTrainingRun(dir, config, data, heads, listener, cancelled).train();
    }

    /** The config of the run in {@code out}, to open its data with before {@link #resume}. */
    public static RunConfig storedConfig(Path out) throws IOException {
        return new RunDirectory(out).manifest().config();
    }

    /**
     * Continues the run in {@code out} from its last checkpoint (from the start when no epoch was
     * committed) with its stored config; {@code data} must come from the same backbone.
     */
    public static RunResult resume(Path out, RunData data, TrainableHead.Factory heads, RunListener listener,
            BooleanSupplier cancelled) throws IOException {
        RunDirectory dir = new RunDirectory(out);
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
        RunState state = dir.state().orElse(RunState.start());
        int n = train.size();
        int stepsPerEpoch = (n + config.batch() - 1) / config.batch();
        LearningRate rate = config.schedule().rate(config.lr(), stepsPerEpoch, config.epochs());
        try (TrainableHead head = heads.create(config, train.width(), rate)) {
            if (state.completedEpochs() > 0) {
                StateDict[] saved = dir.load(state.completedEpochs());
                head.restore(saved[0], saved[1]);
            }
            dir.prune(state);
            Throughput throughput = new Throughput((long) (config.epochs() - state.completedEpochs()) * stepsPerEpoch, config.batch());
            for (int epoch = state.completedEpochs() + 1; epoch <= config.epochs(); epoch++) {
                long started = System.nanoTime();
                int[] order = EpochOrder.shuffled(config.seed(), epoch, n);
                double lossSum = 0;
                int step = 0;
                for (int from = 0; from < n; from += config.batch()) {
                    if (cancelled.getAsBoolean()) {
                        return new RunResult(RunResult.Status.CANCELLED, state, Optional.empty(), dir.root());
                    }
                    step++;
                    long global = state.globalStep() + step;
                    double loss;
                    try (WindowBatch batch = train.batch(order, from, Math.min(n, from + config.batch()))) {
                        loss = head.step(batch);
                    }
                    if (!Double.isFinite(loss)) {
                        return new RunResult(RunResult.Status.FAILED, state,
                                Optional.of(new RunResult.Divergence(epoch, step, global, loss)), dir.root());
                    }
                    lossSum += loss;
                    throughput.done();
                    listener.step(new StepProgress(epoch, config.epochs(), step, stepsPerEpoch, global, loss,
                            rate.at(global), throughput.windowsPerSecond(), throughput.eta()));
                }
                Validation.Scores scores = Validation.score(head, data.validation(), VALIDATION_BATCH);
                Map<String, Double> metrics = new LinkedHashMap<>(scores.metrics());
                metrics.put(Metric.TRAIN_LOSS.key(), lossSum / step);
                EpochRecord record = new EpochRecord(epoch, step, lossSum / step, metrics, scores.auThresholds(),
                        (System.nanoTime() - started) / 1e9);
                state = state.next(record, step, config.metric(), config.keepBest());
                dir.commit(state, head.weights(), head.optimizerState());
                listener.epoch(record, state);
            }
        }
        return new RunResult(RunResult.Status.SUCCEEDED, state, Optional.empty(), dir.root());
    }

    /** Steps per second since this process began training, for the progress line's rate and ETA. */
    private static final class Throughput {
        private final long start = System.nanoTime();
        private final long total;
        private final int windowsPerStep;
        private long done;

        Throughput(long total, int windowsPerStep) {
            this.total = total;
            this.windowsPerStep = windowsPerStep;
        }

        void done() {
            done++;
        }

        private double stepsPerSecond() {
            return done / Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        }

        double windowsPerSecond() {
            return stepsPerSecond() * windowsPerStep;
        }

        Duration eta() {
            double rate = stepsPerSecond();
            long left = Math.max(0, total - done);
            return left == 0 || rate <= 0 ? Duration.ZERO : Duration.ofMillis((long) (left / rate * 1000));
        }
    }
}
