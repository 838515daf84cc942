package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import java.util.Map;

/**
 * A compute backend: compiles graphs into plans. Backends are chosen by name and passed
 * explicitly (see {@link Backends}); model code only ever sees this interface.
 */
public interface Backend extends AutoCloseable {

    /** The name users select it by: reference, cpu, cuda. */
    String name();

    /** What it runs on, for logs and benchmarks (library version, ISA, threads). */
    String description();

    /** Compiles a graph for fixed input shapes. Expensive: callers cache plans per shape. */
    Plan compile(Graph graph, Map<String, Shape> inputShapes);

    /**
     * Prepares a graph with its parameters: weights made ready once, shared by every executable
     * compiled from the result. The store must outlive the prepared model.
     */
    PreparedModel prepare(dev.affect.engine.graph.Graph graph, dev.affect.engine.graph.ParameterStore parameters);

    /** Idempotent. Prepared models made here must be closed before. */
    @Override
    void close();
}
