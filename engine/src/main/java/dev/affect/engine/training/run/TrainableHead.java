package dev.affect.engine.training.run;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.optim.LearningRate;

/**
 * A head being trained, as a run drives it: optimiser steps on batches of windows, predictions for
 * validation, and its weights and optimiser state for checkpoints. Implementations must be
 * deterministic: the same weights, optimiser state, batch and rate give bit-identical results,
 * which is what makes a resumed run end where an uninterrupted one does.
 */
public interface TrainableHead extends AutoCloseable {

    /**
     * One optimiser update on {@code batch} (masked rows excluded from the loss), at the rate the
     * head was made with for this update. Returns the loss at the weights before the update; a
     * non-finite loss must be returned, not thrown, and the caller then stops without using the weights.
     */
    double step(WindowBatch batch);

    /**
     * The task's values for every row of the batch, [B*T, n] row-major: VA (tanh) valence and
     * arousal, EXPR the 8 softmax probabilities, AU the 12 sigmoid probabilities.
     */
    float[] predict(WindowBatch batch);

    /** A copy of the head's weights, keyed as {@code FcHead.load} / {@code LstmHead.load} expect. */
    StateDict weights();

    /** A copy of the optimiser's state (moments, step count) as named tensors. */
    StateDict optimizerState();

    /** Replaces weights and optimiser state with ones from {@link #weights} and {@link #optimizerState}. */
    void restore(StateDict weights, StateDict optimizerState);

    @Override
    void close();

    /**
     * Makes the head a run starts from: initial weights drawn from {@code config.seed()}, embeddings
     * of {@code inputWidth}, the optimiser of the config at {@code rate} (update i at {@code rate.at(i)}).
     */
    @FunctionalInterface
    interface Factory {
        TrainableHead create(RunConfig config, int inputWidth, LearningRate rate);
    }
}
