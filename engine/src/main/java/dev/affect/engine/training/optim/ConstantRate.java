package dev.affect.engine.training.optim;

/** One learning rate throughout. */
public record ConstantRate(double rate) implements LearningRate {

    public ConstantRate {
        Rates.requirePositive(rate, "learning rate");
    }

    @Override
    public double at(long step) {
        Rates.requireStep(step);
        return rate;
    }
}
