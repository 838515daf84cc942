package dev.affect.engine.backend;

/**
 * A graph compiled for one input signature. Immutable and safe to share between threads: each
 * worker runs it through its own {@link ExecutionContext}.
 */
public interface Executable extends AutoCloseable {

    /** Names, element types and shapes of the inputs (and state) it takes and the outputs it gives. */
    Signature signature();

    /** Activations, scratchpad and bindings for one worker. */
    ExecutionContext newContext();

    /** One line per step with what executes it (for profiles and "why is this slow" questions). */
    String describe();

    /** Idempotent. Contexts made from it must be closed before. */
    @Override
    void close();
}
