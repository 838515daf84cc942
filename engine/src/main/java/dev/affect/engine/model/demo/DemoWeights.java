package dev.affect.engine.model.demo;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.heads.Task;

/**
 * Generated weights so that a fresh clone, without any checkpoint, still serves end to end: a
 * DDAMFN backbone and FC/LSTM heads with seeded random weights of a sensible scale (activations
 * neither explode nor vanish, outputs vary with the input). Their predictions mean nothing; see
 * {@link #NOTICE}.
 *
 * <p>The same seed gives bit-identical tensors on every JVM (see {@link SeededNormal}); each
 * tensor's values depend only on the seed and its key.
 */
public final class DemoWeights {
    /** What to tell whoever sees the demo pipeline's output. */
    /** The seed of the demo pipeline that servers and `affect evaluate --demo` build alike. */
    public static final long SEED = 20240611L;

    /** The demo pipeline's backbone: {@link #ddamfn(long)} at {@link #SEED}. */
    public static StateDict ddamfn() {
        return ddamfn(SEED);
    }

    /** The demo pipeline's LSTM head for {@code task}, each task from a seed of its own. */
    public static StateDict lstmHead(Task task) {
        return lstmHead(task, SEED + 1 + task.ordinal());
    }

    public static final String NOTICE = "Demo weights: the outputs of the demo pipeline are random and not meaningful;"
            + " for real weights run `scripts/affect models pull affectnet8` or put a checkpoint in models/<name>/.";
    /** The authors' AffectNet-8 configuration: eight classes, two attention heads. */
    public static final DdamfnConfig DDAMFN_CONFIG = new DdamfnConfig(8, 2);
    /** The LSTM heads' hidden size, as in the paper. */
    public static final int LSTM_HIDDEN = 128;

    private DemoWeights() {
    }

    /** A complete DDAMFN state_dict (8 classes, 2 heads) for {@code Ddamfn.create}, with num_batches_tracked. */
    public static StateDict ddamfn(long seed) {
        return DemoDdamfn.create(DDAMFN_CONFIG, seed);
    }

    /** An LSTM head (512 -> LSTM 128 -> fc 512 -> task) for {@code Head.load}. */
    public static StateDict lstmHead(Task task, long seed) {
        return DemoHeads.lstm(task, LSTM_HIDDEN, seed);
    }

    /** An FC head (512 -> fc 512 -> task) for {@code Head.load}. */
    public static StateDict fcHead(Task task, long seed) {
        return DemoHeads.fc(task, seed);
    }
}
