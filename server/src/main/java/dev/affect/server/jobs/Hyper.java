package dev.affect.server.jobs;

import dev.affect.engine.InvalidInputException;

/**
 * A job's optimisation settings; {@link #check} refuses what cannot train, naming the request field.
 */
public record Hyper(double learningRate, int epochs, int batchSize, int window, double weightDecay, long seed) {
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    /** The DDAMFN authors' rate when the whole network trains. */
    public static final double DEFAULT_FINE_TUNE_LEARNING_RATE = dev.affect.engine.training.run.RunConfig.DEFAULT_BACKBONE_LR;
    public static final int DEFAULT_EPOCHS = 10;
    public static final int MAX_EPOCHS = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** The paper's window (engine.training.data.WindowSpec's default). */
    public static final int DEFAULT_WINDOW = dev.affect.engine.training.data.WindowSpec.DEFAULT_LENGTH;

    /** The rate a job gets when the request leaves it unset. */
    public static double defaultLearningRate(HeadKind head) {
        return head == HeadKind.FULL_FINE_TUNE ? DEFAULT_FINE_TUNE_LEARNING_RATE : DEFAULT_LEARNING_RATE;
    }

    /**
     * Checks the settings.
     *
     * @param prefix the message's path in the request, e.g. {@code spec.hyper}
     * @throws InvalidInputException naming the field
     */
    public Hyper check(String prefix) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new InvalidInputException(prefix + ".learning_rate", "must be positive and finite, got " + learningRate);
        }
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new InvalidInputException(prefix + ".epochs", "must be in 1.." + MAX_EPOCHS + ", got " + epochs);
        }
        if (batchSize < 1) {
            throw new InvalidInputException(prefix + ".batch_size", "must be at least 1, got " + batchSize);
        }
        if (window < 1) {
            throw new InvalidInputException(prefix + ".window", "must be at least 1 frame, got " + window);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new InvalidInputException(prefix + ".weight_decay", "must be zero or positive and finite, got " + weightDecay);
        }
        return this;
    }
}
