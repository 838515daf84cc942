package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.List;
import java.util.Optional;

/**
 * A recurrent head: one-layer {@code lstm} LSTM(D, H) (torch gate order i, f, g, o, both biases),
 * {@code fc} Linear(H, F), ReLU, task layer Linear(F, n), then the task's activation. The weights
 * are shared and immutable; each sequence's (h, c) is a {@link HeadState} the caller makes with
 * {@link #newState} and passes in.
 *
 * <p>Two ways to run it, which give the same values: {@link #step} advances N sequences by one frame
 * each (rows may come from different sequences, as a cross-session batch does), and
 * {@link #sequence} runs a clip of T consecutive frames of one sequence. Thread-safe, provided no
 * state is used by two calls at once.
 *
 * <p>Errors: embeddings or outputs of the wrong shape are an {@link InvalidInputException} naming
 * the tensor; a state of another head, a missing state or one state on two rows is the caller's
 * bug, an {@link IllegalArgumentException}.
 */
public final class LstmHead implements Head {
    private final HeadCore core;
    private final List<Bucket> steps;
    private final List<Bucket> sequences;

    LstmHead(HeadSpec spec, StateDict checkpoint, Backend backend, HeadOptions options) {
        this.core = new HeadCore(spec, checkpoint);
        try {
            this.steps = core.compile(backend, HeadGraphs.lstmStep(spec), options.batchBuckets());
            this.sequences = core.compile(backend, HeadGraphs.lstmSequence(spec), options.sequenceBuckets());
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    /** Loads an LSTM head with the default buckets; an FC checkpoint is an InvalidInputException. */
    public static LstmHead load(StateDict checkpoint, Backend backend) {
        return load(checkpoint, backend, HeadOptions.defaults());
    }

    public static LstmHead load(StateDict checkpoint, Backend backend, HeadOptions options) {
        StateDict sd = HeadSpec.normalize(checkpoint);
        HeadSpec spec = HeadSpec.read(sd);
        if (!spec.lstm()) {
            throw new InvalidInputException(HeadSpec.W_IH, "missing: an FC head checkpoint; load it as FcHead (or with Head.load)");
        }
        return new LstmHead(spec, sd, backend, options);
    }

    /** A fresh (zero) state for one sequence, its memory allocated in the caller's scope. */
    public HeadState newState(TensorScope scope) {
        return new HeadState(this, scope);
    }

    /**
     * Advances N sequences by one frame each: row i of {@code embeddings} [N, D] is the next frame of
     * the sequence whose state is {@code states.get(i)}. Each state is read and then overwritten with
     * the state after that frame; {@code out} [N, n] gets the task's values. A state may appear once.
     */
    public void step(Tensor embeddings, List<HeadState> states, Tensor out) {
        step(embeddings, states, out, valueName());
    }

    /** As {@link #step}, with the task layer's output before the task activation. */
    public void stepRaw(Tensor embeddings, List<HeadState> states, Tensor out) {
        step(embeddings, states, out, HeadGraphs.RAW);
    }

    /**
     * Runs T consecutive frames of one sequence, embeddings [T, D] in time order, starting from
     * {@code state} and leaving in it the state after the last frame; {@code out} [T, n] gets the
     * task's values. Splitting a clip into several calls gives the same values as one call.
     */
    public void sequence(Tensor embeddings, HeadState state, Tensor out) {
        sequence(embeddings, state, out, valueName());
    }

    /** As {@link #sequence}, with the task layer's output before the task activation. */
    public void sequenceRaw(Tensor embeddings, HeadState state, Tensor out) {
        sequence(embeddings, state, out, HeadGraphs.RAW);
    }

    private String valueName() {
        return core.spec.task().isPresent() ? HeadGraphs.VALUE : HeadGraphs.RAW;
    }

    private void step(Tensor embeddings, List<HeadState> states, Tensor out, String output) {
        int n = HeadCore.rows(embeddings, "embeddings", inputSize());
        HeadCore.requireFloating(embeddings, "embeddings");
        HeadCore.requireOut(out, n, outputSize());
        if (states == null || states.size() != n) {
            throw new IllegalArgumentException("states: " + (states == null ? "missing" : states.size() + " states")
                    + " for " + n + " rows; give one per row");
        }
        for (int i = 0; i < n; i++) {
            HeadState s = states.get(i);
            if (s == null || s.head() != this) {
                requireOwn(s, "states[" + i + "]"); // throws; the field name is built only then
            }
            for (int j = 0; j < i; j++) {
                if (states.get(j) == s) {
                    throw new IllegalArgumentException("states[" + i + "]: the same state as row " + j
                            + ": a sequence advances by one frame per step");
                }
            }
        }
        for (int from = 0; from < n; ) {
            Bucket b = Bucket.fitting(steps, n - from);
            int rows = Math.min(b.size(), n - from);
            Bucket.Worker w = b.acquire();
            try {
                w.first(HeadGraphs.X, rows).copyFrom(Bucket.rows(embeddings, from, from + rows));
                for (int i = 0; i < rows; i++) {
                    HeadState s = states.get(from + i);
                    w.row(HeadGraphs.H0, i).copyFrom(s.h());
                    w.row(HeadGraphs.C0, i).copyFrom(s.c());
                }
                w.context.execute();
                for (int i = 0; i < rows; i++) {
                    HeadState s = states.get(from + i);
                    s.h().copyFrom(w.row(HeadGraphs.H, i));
                    s.c().copyFrom(w.row(HeadGraphs.C, i));
                }
                Bucket.rows(out, from, from + rows).copyFrom(w.first(output, rows));
            } finally {
                b.release(w);
            }
            from += rows;
        }
    }

    private void sequence(Tensor embeddings, HeadState state, Tensor out, String output) {
        int t = HeadCore.rows(embeddings, "embeddings", inputSize());
        HeadCore.requireFloating(embeddings, "embeddings");
        HeadCore.requireOut(out, t, outputSize());
        requireOwn(state, "state");
        for (int from = 0; from < t; ) {
            // Exact chunks (never padded): padding frames would run through the recurrence and change the state.
            Bucket b = Bucket.largestWithin(sequences, t - from);
            int rows = b.size();
            Bucket.Worker w = b.acquire();
            try {
                w.buffer(HeadGraphs.X).copyFrom(Bucket.rows(embeddings, from, from + rows));
                w.buffer(HeadGraphs.H0).copyFrom(state.h());
                w.buffer(HeadGraphs.C0).copyFrom(state.c());
                w.context.execute();
                state.h().copyFrom(w.buffer(HeadGraphs.H));
                state.c().copyFrom(w.buffer(HeadGraphs.C));
                Bucket.rows(out, from, from + rows).copyFrom(w.buffer(output));
            } finally {
                b.release(w);
            }
            from += rows;
        }
    }

    private void requireOwn(HeadState s, String field) {
        if (s == null) {
            throw new IllegalArgumentException(field + ": missing");
        }
        if (s.head() != this) {
            throw new IllegalArgumentException(field + ": a state of another head (" + s.head().describe()
                    + "); make states with this head's newState");
        }
    }

    /** The batch sizes {@link #step} is compiled for, ascending. */
    public List<Integer> batchBuckets() {
        return steps.stream().map(Bucket::size).toList();
    }

    /** The clip lengths {@link #sequence} is compiled for, ascending. */
    public List<Integer> sequenceBuckets() {
        return sequences.stream().map(Bucket::size).toList();
    }

    @Override
    public String key() {
        return core.spec.key();
    }

    @Override
    public Optional<Task> task() {
        return core.spec.task();
    }

    @Override
    public int inputSize() {
        return core.spec.inputSize();
    }

    @Override
    public int outputSize() {
        return core.spec.outputSize();
    }

    /** The LSTM's hidden size (H). */
    public int hiddenSize() {
        return core.spec.hiddenSize();
    }

    /** The width of fc (F). */
    public int fcSize() {
        return core.spec.fcSize();
    }

    @Override
    public String describe() {
        return core.spec.describe();
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "LstmHead[" + describe() + "]";
    }
}
