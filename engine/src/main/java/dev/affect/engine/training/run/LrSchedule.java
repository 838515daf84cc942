package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;

/**
 * The learning rate over a run, per optimiser step: constant, step decay (times {@code gamma}
 * every {@code stepEpochs} epochs) or cosine to 0 over the run; any of them after an optional linear
 * warm-up over {@code warmupEpochs} epochs from lr/warmup-steps up to the base lr.
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
        if (warmupEpochs < 0) {
            throw new InvalidInputException("schedule.warmup_epochs", "must be >= 0, got " + warmupEpochs);
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

    /**
     * The rate of global step {@code step} (0-based) of a run of {@code epochs} epochs of
     * {@code stepsPerEpoch} steps each, for base rate {@code base}.
     */
    public double at(double base, long step, long stepsPerEpoch, int epochs) {
        long warmup = warmupEpochs * stepsPerEpoch;
        if (step < warmup) {
            return base * (step + 1) / warmup;
        }
        long total = epochs * stepsPerEpoch;
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, (double) (step / stepsPerEpoch / stepEpochs));
            case COSINE -> {
                long span = Math.max(1, total - warmup);
                yield base * 0.5 * (1 + Math.cos(Math.PI * (step - warmup) / span));
            }
        };
    }
}
