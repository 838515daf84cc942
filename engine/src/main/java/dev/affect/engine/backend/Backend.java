package dev.affect.engine.backend;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;

/**
 * A compute backend: prepares graphs with their parameters, then compiles executables from them
 * (Backend -> {@link PreparedModel} -> {@link Executable} -> {@link ExecutionContext}). Backends are
 * chosen by name and passed explicitly (see {@link Backends}); model code only ever sees this SPI.
 */
public interface Backend extends AutoCloseable {

    /** The name users select it by: reference, cpu, cuda. */
    String name();

    /** What it runs on, for logs and benchmarks (library version, ISA, threads). */
    String description();

    /**
     * Prepares a graph with its parameters: weights made ready once, shared by every executable
     * compiled from the result. The store must outlive the prepared model.
     */
    PreparedModel prepare(Graph graph, ParameterStore parameters);

    /**
     * Memory for the activations and scratchpad of contexts placed on it with
     * {@link Executable#newContext(Workspace)}: at least {@code bytes}, typically the largest
     * {@link Executable#workspaceBytes()} of the executables whose contexts will share it. The
     * caller closes it after those contexts.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    Workspace newWorkspace(long bytes);

    /** Idempotent. Prepared models made here must be closed before. */
    @Override
    void close();
}
