package dev.affect.engine.training.optim;

/** The learning rate of each optimiser update, by its 1-based index (torch's {@code step}). */
@FunctionalInterface
public interface LearningRate {

    /** The rate of update number {@code step} (1 for the first). */
    double at(long step);

    /** The same rate for every update. */
    static LearningRate constant(double rate) {
        return new ConstantRate(rate);
    }
}
