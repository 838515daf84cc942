package dev.affect.engine.training.optim;

/**
 * torch's StepLR counted in updates: {@code base * gamma^floor((step - 1) / every)}, so updates
 * 1..every use the base rate.
 */
public record StepDecay(double base, double gamma, long every) implements LearningRate {

    public StepDecay {
        Rates.requirePositive(base, "base learning rate");
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("step decay gamma must be in (0, 1], got " + gamma);
        }
        if (every < 1) {
            throw new IllegalArgumentException("step decay interval must be >= 1 update, got " + every);
        }
    }

    @Override
    public double at(long step) {
        Rates.requireStep(step);
        return base * Math.pow(gamma, (step - 1) / every);
    }
}
