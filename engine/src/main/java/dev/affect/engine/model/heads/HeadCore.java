package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * What every head holds: its spec, its own parameter store, the graphs prepared on a backend and the
 * executables compiled for each bucket, and the scope their buffers live in. Closed in reverse
 * order of creation.
 */
final class HeadCore implements AutoCloseable {
    final HeadSpec spec;
    final TensorScope scope = new TensorScope();
    private final ParameterStore parameters;
    private final List<PreparedModel> prepared = new ArrayList<>();
    private final List<List<Bucket>> compiled = new ArrayList<>();
    private boolean closed;

    HeadCore(HeadSpec spec, StateDict checkpoint) {
        this.spec = spec;
        ParameterStore store = null;
        try {
            store = ParameterStore.copyOf(checkpoint.asMap());
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
        this.parameters = store;
    }

    /** Prepares a graph on the backend and compiles it at every size, ascending. */
    List<Bucket> compile(Backend backend, Graph graph, List<Integer> sizes) {
        parameters.requireFor(graph);
        PreparedModel model = backend.prepare(graph, parameters);
        prepared.add(model);
        List<Bucket> buckets = new ArrayList<>();
        compiled.add(buckets);
        for (int n : sizes) {
            buckets.add(Bucket.compile(model, n, scope));
        }
        return List.copyOf(buckets);
    }

    /** The number of rows of an [N, width] tensor; InvalidInputException naming the field otherwise. */
    static int rows(Tensor t, String field, int width) {
        if (t == null) {
            throw new InvalidInputException(field, "missing");
        }
        if (t.shape().rank() != 2 || t.shape().dim(1) != width) {
            throw new InvalidInputException(field, "must be [N, " + width + "], got " + t.shape());
        }
        return t.shape().dim(0);
    }

    /** Checks an output tensor the caller gives: float32 [n, width]. */
    static void requireOut(Tensor out, int n, int width) {
        if (out == null) {
            throw new InvalidInputException("out", "missing");
        }
        if (out.dtype() != DType.F32 || out.shape().rank() != 2 || out.shape().dim(0) != n || out.shape().dim(1) != width) {
            throw new InvalidInputException("out", "must be F32[" + n + ", " + width + "], got " + out.dtype() + out.shape());
        }
    }

    static void requireFloating(Tensor t, String field) {
        if (!t.dtype().isFloating()) {
            throw new InvalidInputException(field, "must be floating point, got " + t.dtype());
        }
    }

    /** Idempotent; calls must have finished. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (int i = compiled.size() - 1; i >= 0; i--) {
                Bucket.closeAll(compiled.get(i));
            }
            for (int i = prepared.size() - 1; i >= 0; i--) {
                prepared.get(i).close();
            }
        } finally {
            parameters.close();
            scope.close();
        }
    }
}
