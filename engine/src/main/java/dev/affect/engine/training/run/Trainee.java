package dev.affect.engine.training.run;

import dev.affect.engine.io.StateDict;
import java.io.IOException;

/**
 * What an {@link EpochLoop} trains: a fixed set of samples (windows of embeddings for a head,
 * frames for a backbone) stepped through in the epoch's order, validation with the challenge
 * metrics, and the state a checkpoint holds. Deterministic, like {@link TrainableHead}: the same
 * state and order give bit-identical results, so a resumed run ends where an uninterrupted one does.
 */
interface Trainee extends AutoCloseable {

    /** Training samples per epoch. */
    int size();

    /** One optimiser update on samples {@code order[from..to)}; the loss before it (non-finite returned, not thrown). */
    double step(int[] order, int from, int to) throws IOException;

    /** The validation split's scores at the current weights. */
    Validation.Scores validate() throws IOException;

    StateDict weights();

    StateDict optimizerState();

    void restore(StateDict weights, StateDict optimizerState);

    @Override
    void close();
}
