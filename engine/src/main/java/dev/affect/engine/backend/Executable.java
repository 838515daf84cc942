package dev.affect.engine.backend;

/**
 * A graph compiled for one input signature. Immutable and safe to share between threads: each
 * worker runs it through its own {@link ExecutionContext}.
 */
public interface Executable extends AutoCloseable {

    /** Names, element types and shapes of the inputs (and state) it takes and the outputs it gives. */
    Signature signature();

    /** Activations, scratchpad and bindings for one worker, in memory of the context's own. */
    ExecutionContext newContext();

    /**
     * The bytes one context needs in a {@link Workspace} (activation block and scratchpad, aligned);
     * 0 when its contexts keep nothing there.
     */
    long workspaceBytes();

    /**
     * A context whose activations and scratchpad are placed in the given workspace rather than in
     * memory of its own, so that contexts of several executables can share one block. See
     * {@link Workspace} for the contract: contexts sharing it never execute at the same time, their
     * own input and output buffers are overwritten by each other's executions, and it must outlive
     * them.
     *
     * @throws IllegalArgumentException if the workspace was made by another backend, is closed, or
     *                                  is smaller than {@link #workspaceBytes()}
     */
    ExecutionContext newContext(Workspace workspace);

    /** One line per step with what executes it (for profiles and "why is this slow" questions). */
    String describe();

    /** Idempotent. Contexts made from it must be closed before. */
    @Override
    void close();
}
