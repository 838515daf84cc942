package dev.affect.engine.training.optim;

/** Argument checks the schedules and optimisers share. */
final class Rates {
    private Rates() {
    }

    static void requirePositive(double value, String what) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a positive number, got " + value);
        }
    }

    static void requireStep(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("updates are numbered from 1, got " + step);
        }
    }
}
