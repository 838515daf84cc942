package dev.affect.engine.training.optim;

/**
 * Cosine annealing from {@code base} to {@code floor} over {@code total} updates, after an optional
 * linear warm-up: update t of the first {@code warmup} uses {@code base * t / warmup}; then
 * {@code floor + (base - floor) * (1 + cos(pi * progress)) / 2} with progress going from 0 (the first
 * update after warm-up) to 1 (update {@code total}) and staying at 1 after it.
 */
public record CosineDecay(double base, double floor, long total, long warmup) implements LearningRate {

    public CosineDecay {
        Rates.requirePositive(base, "base learning rate");
        if (!(floor >= 0 && floor <= base)) {
            throw new IllegalArgumentException("cosine floor must be in [0, base], got " + floor);
        }
        if (warmup < 0 || total <= warmup) {
            throw new IllegalArgumentException("cosine decay needs 0 <= warmup < total updates, got warmup " + warmup
                    + ", total " + total);
        }
    }

    /** Without warm-up, down to 0. */
    public static CosineDecay of(double base, long total) {
        return new CosineDecay(base, 0, total, 0);
    }

    @Override
    public double at(long step) {
        Rates.requireStep(step);
        if (step <= warmup) {
            return base * step / warmup;
        }
        long span = total - warmup;
        double progress = Math.min(1.0, (double) (step - warmup - 1) / Math.max(1, span - 1));
        return floor + (base - floor) * (1 + Math.cos(Math.PI * progress)) / 2;
    }
}
