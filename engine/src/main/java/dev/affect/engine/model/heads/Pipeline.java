package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.Backbone;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backbone and one head per output key (any subset of VA, EXPR and AU, plus raw heads). Every
 * frame goes through the backbone once and its embedding feeds every head, so all tasks' values of a
 * frame come from one backbone pass. Per-sequence state ({@link PipelineState}) is made by the
 * caller with {@link #newState} and passed in.
 *
 * <p>The pipeline does not own the backbone or the heads (several pipelines may share them): close
 * them after the pipeline's last call. Thread-safe, provided no state is used by two calls at once.
 *
 * <p>Errors: bad frames are the backbone's {@link InvalidInputException}; heads that do not fit
 * together are an InvalidInputException naming the head key; states of another pipeline or a
 * state count that does not match the frames are the caller's bug, an IllegalArgumentException.
 */
public final class Pipeline {
    private final Backbone backbone;
    private final List<Head> heads;

    private Pipeline(Backbone backbone, List<Head> heads) {
        this.backbone = backbone;
        this.heads = List.copyOf(heads);
    }

    /**
     * A pipeline over these heads, in the order given. Two heads with one key, or a head whose input
     * width is not the backbone's embedding size, is an {@link InvalidInputException}.
     */
    public static Pipeline of(Backbone backbone, List<? extends Head> heads) {
        if (heads.isEmpty()) {
            throw new InvalidInputException("heads", "a pipeline needs at least one head");
        }
        Map<String, Head> byKey = new LinkedHashMap<>();
        for (Head h : heads) {
            Head before = byKey.putIfAbsent(h.key(), h);
            if (before != null) {
                throw new InvalidInputException(h.key(), "two heads with this key (" + before.describe() + "; " + h.describe() + ")");
            }
            if (h.inputSize() != backbone.embeddingSize()) {
                throw new InvalidInputException(h.key(), "head takes embeddings of " + h.inputSize()
                        + ", the backbone gives " + backbone.embeddingSize());
            }
        }
        return new Pipeline(backbone, List.copyOf(heads));
    }

    public Backbone backbone() {
        return backbone;
    }

    public List<Head> heads() {
        return heads;
    }

    public Optional<Head> head(String key) {
        return heads.stream().filter(h -> h.key().equals(key)).findFirst();
    }

    public Optional<Head> head(Task task) {
        return head(task.key());
    }

    /** A fresh state for one sequence (zero state for every LSTM head), allocated in the caller's scope. */
    public PipelineState newState(TensorScope scope) {
        Map<String, HeadState> states = new LinkedHashMap<>();
        for (Head h : heads) {
            if (h instanceof LstmHead l) {
                states.put(l.key(), l.newState(scope));
            }
        }
        return new PipelineState(this, states);
    }

    /**
     * Runs a clip of T consecutive frames [T, ...] of one sequence: one backbone pass over all frames
     * (batched), then every head over the clip, LSTM heads from and into {@code state}. The results
     * are garbage-collected tensors; use {@link #run(Tensor, PipelineState, TensorScope)} to own them.
     */
    public PipelineOutput run(Tensor frames, PipelineState state) {
        return run(frames, state, null);
    }

    /** As {@link #run(Tensor, PipelineState)}, with the embeddings and values allocated in {@code into}. */
    public PipelineOutput run(Tensor frames, PipelineState state, TensorScope into) {
        requireOwn(state, "state");
        int t = frameCount(frames);
        Tensor embeddings = allocate(into, t, backbone.embeddingSize());
        backbone.embed(frames, embeddings);
        return runOnEmbeddings(embeddings, state, into);
    }

    /**
     * The heads alone over a clip whose embeddings [T, E] the caller already has (from a backbone pass
     * that also produced other outputs), in time order, LSTM heads from and into {@code state}.
     */
    public PipelineOutput runOnEmbeddings(Tensor embeddings, PipelineState state, TensorScope into) {
        requireOwn(state, "state");
        Shape want = Shape.of(frameCount(embeddings), backbone.embeddingSize());
        if (!embeddings.shape().equals(want) || embeddings.dtype() != DType.F32) {
            throw new InvalidInputException("embeddings", "must be f32" + want + ", got " + embeddings.dtype() + embeddings.shape());
        }
        int t = want.dim(0);
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (Head h : heads) {
            Tensor out = allocate(into, t, h.outputSize());
            switch (h) {
                case FcHead f -> f.forward(embeddings, out);
                case LstmHead l -> l.sequence(embeddings, state.of(l), out);
            }
            values.put(h.key(), out);
        }
        return new PipelineOutput(embeddings, values);
    }

    /**
     * Advances N sequences by one frame each: frame i [N, ...] belongs to the sequence whose state is
     * {@code rowStates.get(i)} (a cross-session batch). One backbone pass over the N frames, then
     * every head, LSTM heads gathering and scattering each row's state. Results are garbage-collected.
     */
    public PipelineOutput step(Tensor frames, List<PipelineState> rowStates) {
        return step(frames, rowStates, null);
    }

    /** As {@link #step(Tensor, List)}, with the embeddings and values allocated in {@code into}. */
    public PipelineOutput step(Tensor frames, List<PipelineState> rowStates, TensorScope into) {
        int n = frameCount(frames);
        if (rowStates == null || rowStates.size() != n) {
            throw new IllegalArgumentException("rowStates: " + (rowStates == null ? "missing" : rowStates.size() + " states")
                    + " for " + n + " frames; give one per frame");
        }
        for (int i = 0; i < n; i++) {
            PipelineState s = rowStates.get(i);
            if (s == null || s.pipeline() != this) {
                requireOwn(s, "rowStates[" + i + "]");
            }
        }
        Tensor embeddings = allocate(into, n, backbone.embeddingSize());
        backbone.embed(frames, embeddings);
        return stepOnEmbeddings(embeddings, rowStates, into);
    }

    /**
     * The heads alone for a cross-session batch whose embeddings [N, E] the caller already has (from a
     * backbone pass that also produced other outputs): row i advances {@code rowStates.get(i)} by one frame.
     */
    public PipelineOutput stepOnEmbeddings(Tensor embeddings, List<PipelineState> rowStates, TensorScope into) {
        int n = frameCount(embeddings);
        Shape want = Shape.of(n, backbone.embeddingSize());
        if (!embeddings.shape().equals(want) || embeddings.dtype() != DType.F32) {
            throw new InvalidInputException("embeddings", "must be f32" + want + ", got " + embeddings.dtype() + embeddings.shape());
        }
        if (rowStates == null || rowStates.size() != n) {
            throw new IllegalArgumentException("rowStates: " + (rowStates == null ? "missing" : rowStates.size() + " states")
                    + " for " + n + " rows; give one per row");
        }
        for (int i = 0; i < n; i++) {
            PipelineState s = rowStates.get(i);
            if (s == null || s.pipeline() != this) {
                requireOwn(s, "rowStates[" + i + "]");
            }
        }
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (Head h : heads) {
            Tensor out = allocate(into, n, h.outputSize());
            switch (h) {
                case FcHead f -> f.forward(embeddings, out);
                case LstmHead l -> {
                    List<HeadState> states = new ArrayList<>(n);
                    for (PipelineState s : rowStates) {
                        states.add(s.of(l));
                    }
                    l.step(embeddings, states, out);
                }
            }
            values.put(h.key(), out);
        }
        return new PipelineOutput(embeddings, values);
    }

    private void requireOwn(PipelineState s, String field) {
        if (s == null) {
            throw new IllegalArgumentException(field + ": missing");
        }
        if (s.pipeline() != this) {
            throw new IllegalArgumentException(field + ": a state of another pipeline; make states with this pipeline's newState");
        }
    }

    private static int frameCount(Tensor frames) {
        if (frames == null) {
            throw new InvalidInputException("frames", "missing");
        }
        if (frames.shape().rank() < 2) {
            throw new InvalidInputException("frames", "must be [N, ...] frames, got " + frames.shape());
        }
        return frames.shape().dim(0);
    }

    private static Tensor allocate(TensorScope into, int rows, int width) {
        Shape s = Shape.of(rows, width);
        return into == null ? Tensor.zeros(DType.F32, s) : into.allocate(DType.F32, s);
    }

    @Override
    public String toString() {
        return "Pipeline[" + heads.stream().map(Head::describe).toList() + "]";
    }
}
