package dev.affect.engine.training.run;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.training.data.EpochOrder;
import dev.affect.engine.training.optim.LearningRate;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The epochs of a run, whatever it trains: per epoch the samples in the order {@link EpochOrder}
 * gives for (seed, epoch), in batches, one optimiser step each; then validation and an atomic
 * checkpoint ({@link RunDirectory}) keeping the best epochs by the config's metric. It starts from
 * the folder's last committed epoch, so a resumed run continues exactly where the checkpoint left
 * off. A non-finite loss ends it FAILED naming the epoch and step; cancellation is checked before
 * every step and ends it CANCELLED at the last checkpoint.
 */
final class EpochLoop {
    private EpochLoop() {
    }

    /** Steps per epoch for {@code samples} samples in the config's batches (the last one may be short). */
    static int stepsPerEpoch(RunConfig config, int samples) {
        return (samples + config.batch() - 1) / config.batch();
    }

    /** The config's schedule over a run of {@code samples} samples per epoch. */
    static LearningRate rate(RunConfig config, int samples) {
        return config.schedule().rate(config.lr(), stepsPerEpoch(config, samples), config.epochs());
    }

    static RunResult run(RunDirectory dir, RunConfig config, Trainee trainee, LearningRate rate, RunListener listener,
            BooleanSupplier cancelled) throws IOException {
        RunState state = dir.state().orElse(RunState.start());
        int n = trainee.size();
        int stepsPerEpoch = stepsPerEpoch(config, n);
        if (state.completedEpochs() > 0) {
            StateDict[] saved = dir.load(state.completedEpochs());
            trainee.restore(saved[0], saved[1]);
        }
        dir.prune(state);
        Throughput throughput = new Throughput((long) (config.epochs() - state.completedEpochs()) * stepsPerEpoch,
                config.batch());
        for (int epoch = state.completedEpochs() + 1; epoch <= config.epochs(); epoch++) {
            long started = System.nanoTime();
            int[] order = EpochOrder.shuffled(config.seed(), epoch, n);
            double lossSum = 0;
            int step = 0;
            for (int from = 0; from < n; from += config.batch()) {
                if (cancelled.getAsBoolean()) {
                    return new RunResult(RunResult.Status.CANCELLED, state, Optional.empty(), dir.root(), dir.weightsFile());
                }
                step++;
                long global = state.globalStep() + step;
                double loss = trainee.step(order, from, Math.min(n, from + config.batch()));
                if (!Double.isFinite(loss)) {
                    return new RunResult(RunResult.Status.FAILED, state,
                            Optional.of(new RunResult.Divergence(epoch, step, global, loss)), dir.root(), dir.weightsFile());
                }
                lossSum += loss;
                throughput.done();
                listener.step(new StepProgress(epoch, config.epochs(), step, stepsPerEpoch, global, loss,
                        rate.at(global), throughput.samplesPerSecond(), throughput.eta()));
            }
            Validation.Scores scores = trainee.validate();
            Map<String, Double> metrics = new LinkedHashMap<>(scores.metrics());
            metrics.put(Metric.TRAIN_LOSS.key(), lossSum / step);
            EpochRecord record = new EpochRecord(epoch, step, lossSum / step, metrics, scores.auThresholds(),
                    (System.nanoTime() - started) / 1e9);
            state = state.next(record, step, config.metric(), config.keepBest());
            dir.commit(state, trainee.weights(), trainee.optimizerState());
            listener.epoch(record, state);
        }
        return new RunResult(RunResult.Status.SUCCEEDED, state, Optional.empty(), dir.root(), dir.weightsFile());
    }

    /** Steps per second since this process began training, for the progress line's rate and ETA. */
    private static final class Throughput {
        private final long start = System.nanoTime();
        private final long total;
        private final int samplesPerStep;
        private long done;

        Throughput(long total, int samplesPerStep) {
            this.total = total;
            this.samplesPerStep = samplesPerStep;
        }

        void done() {
            done++;
        }

        private double stepsPerSecond() {
            return done / Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        }

        double samplesPerSecond() {
            return stepsPerSecond() * samplesPerStep;
        }

        Duration eta() {
            double rate = stepsPerSecond();
            long left = Math.max(0, total - done);
            return left == 0 || rate <= 0 ? Duration.ZERO : Duration.ofMillis((long) (left / rate * 1000));
        }
    }
}
