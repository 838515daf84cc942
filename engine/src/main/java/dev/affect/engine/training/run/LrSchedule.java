package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.training.optim.CosineDecay;
import dev.affect.engine.training.optim.LearningRate;
import dev.affect.engine.training.optim.StepDecay;

/**
 * A run's learning-rate schedule in epochs, turned into the training core's per-update rate
 * ({@link LearningRate}) once the steps per epoch are known: constant; step decay (times
 * {@code gamma} every {@code stepEpochs} epochs); or cosine to 0 over the run after an optional
 * linear warm-up of {@code warmupEpochs} epochs.
 */
public record LrSchedule(Kind kind, int stepEpochs, double gamma, int warmupEpochs) {
    public enum Kind { CONSTANT, STEP, COSINE }

    public LrSchedule {
        if (kind == null) {
            throw new InvalidInputException("schedule", "missing");
        }
        if (kind == Kind.STEP && stepEpochs < 1) {
            throw new InvalidInputException("schedule.step_epochs", "must be >= 1, got " + stepEpochs);
        }
        if (kind == Kind.STEP && !(gamma > 0 && gamma <= 1)) {
            throw new InvalidInputException("schedule.gamma", "must be in (0, 1], got " + gamma);
        }
        if (warmupEpochs < 0 || (warmupEpochs > 0 && kind != Kind.COSINE)) {
            throw new InvalidInputException("schedule.warmup_epochs", "must be >= 0, and 0 unless the schedule is cosine, got "
                    + warmupEpochs);
        }
    }

    public static LrSchedule constant() {
        return new LrSchedule(Kind.CONSTANT, 0, 1, 0);
    }

    public static LrSchedule step(int everyEpochs, double gamma) {
        return new LrSchedule(Kind.STEP, everyEpochs, gamma, 0);
    }

    public static LrSchedule cosine(int warmupEpochs) {
        return new LrSchedule(Kind.COSINE, 0, 1, warmupEpochs);
    }

    /**
     * {@code constant}, {@code step} (halved every epoch; {@link #step} for other decays) or {@code cosine}
     * (no warm-up), naming the field {@code schedule} when unknown.
     */
    public static LrSchedule parse(String s) {
        return switch (Names.parse(Kind.class, "schedule", s)) {
            case CONSTANT -> constant();
            case STEP -> step(1, 0.5);
            case COSINE -> cosine(0);
        };
    }

    /** The rate of every update of a run of {@code epochs} epochs of {@code stepsPerEpoch} updates, from {@code base}. */
    public LearningRate rate(double base, long stepsPerEpoch, int epochs) {
        long total = stepsPerEpoch * epochs;
        return switch (kind) {
            case CONSTANT -> LearningRate.constant(base);
            case STEP -> new StepDecay(base, gamma, stepEpochs * stepsPerEpoch);
            case COSINE -> {
                long warmup = warmupEpochs * stepsPerEpoch;
                if (warmup >= total) {
                    throw new InvalidInputException("schedule.warmup_epochs", "must be fewer than the epochs (" + epochs
                            + "), got " + warmupEpochs);
                }
                yield new CosineDecay(base, 0, total, warmup);
            }
        };
    }
}
