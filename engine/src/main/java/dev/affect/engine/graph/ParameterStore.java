package dev.affect.engine.graph;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A model's parameters, held once in float32 native memory that this store owns. Every prepared
 * model and executable reads them from here, so compiling more batch sizes never copies a weight.
 *
 * <p>Derived parameters (a BatchNorm folded into a convolution's weights, a merged depthwise kernel)
 * are recorded with the function that makes them from their sources, and remade by
 * {@link #refreshDerived()} when a source changes. {@link #version()} counts every change, so a
 * backend that keeps weights in its own layout knows when to remake them. Updates must not overlap
 * executions that read the same store (training alternates them).
 */
public final class ParameterStore implements AutoCloseable {
    private final TensorScope scope = new TensorScope();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Derivation> derivations = new LinkedHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private boolean closed;

    private record Derivation(List<String> sources, Function<List<Tensor>, Tensor> make, long[] seen) {
    }

    /** Copies the floating tensors of a state_dict (as float32); integer buffers are skipped. */
    public static ParameterStore copyOf(Map<String, Tensor> stateDict) {
        ParameterStore store = new ParameterStore();
        stateDict.forEach((k, t) -> {
            if (t.dtype().isFloating()) {
                store.put(k, t);
            }
        });
        return store;
    }

    /** Adds (or replaces) a parameter, copied into this store's memory as float32. */
    public synchronized void put(String name, Tensor value) {
        requireOpen();
        Tensor t = scope.allocate(DType.F32, value.shape());
        t.copyFrom(value);
        tensors.put(name, t);
        version.incrementAndGet();
    }

    /** Overwrites a parameter's values in place (an optimiser step); derived parameters follow on refresh. */
    public synchronized void update(String name, Tensor value) {
        requireOpen();
        Tensor t = get(name);
        if (!t.shape().equals(value.shape())) {
            throw new InvalidInputException(name, "update of shape " + value.shape() + " for parameter " + t.shape());
        }
        t.copyFrom(value);
        version.incrementAndGet();
    }

    /**
     * Records a derived parameter made from sources by a function, and makes it now. The function
     * must return a fresh tensor; the store copies it.
     */
    public synchronized void derive(String name, List<String> sources, Function<List<Tensor>, Tensor> make) {
        requireOpen();
        List<Tensor> in = new ArrayList<>();
        for (String s : sources) {
            in.add(get(s));
        }
        put(name, make.apply(in));
        long v = version.get();
        long[] seen = new long[] {v};
        derivations.put(name, new Derivation(List.copyOf(sources), make, seen));
    }

    /** Remakes every derived parameter if anything changed since it was made. */
    public synchronized void refreshDerived() {
        requireOpen();
        for (Map.Entry<String, Derivation> e : derivations.entrySet()) {
            Derivation d = e.getValue();
            if (d.seen()[0] == version.get()) {
                continue;
            }
            List<Tensor> in = new ArrayList<>();
            for (String s : d.sources()) {
                in.add(get(s));
            }
            get(e.getKey()).copyFrom(d.make().apply(in));
            d.seen()[0] = version.get();
        }
    }

    public boolean isDerived(String name) {
        return derivations.containsKey(name);
    }

    public synchronized boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The stored tensor itself (read it; change it only through {@link #update}). */
    public synchronized Tensor get(String name) {
        requireOpen();
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return t;
    }

    public synchronized Set<String> names() {
        return Set.copyOf(tensors.keySet());
    }

    /** Increases with every put and update. */
    public long version() {
        return version.get();
    }

    /** Checks that every parameter the graph reads is here with its declared shape, naming the first that is not. */
    public synchronized void requireFor(Graph graph) {
        for (Value p : graph.parameters()) {
            Tensor t = tensors.get(p.name());
            if (t == null) {
                throw new InvalidInputException(p.name(), "missing parameter (expected " + p.type() + ")");
            }
            if (!p.type().accepts(t.shape())) {
                throw new InvalidInputException(p.name(), "parameter is " + t.shape() + ", the graph needs " + p.type());
            }
        }
    }

    /** Bytes of parameter memory held. */
    public synchronized long byteSize() {
        return tensors.values().stream().mapToLong(Tensor::byteSize).sum();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("parameter store is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            tensors.clear();
            scope.close();
        }
    }
}
