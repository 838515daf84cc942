package dev.affect.engine.backend;

/**
 * Memory for the activations and scratchpad of execution contexts, made by a {@link Backend}
 * ({@link Backend#newWorkspace}) and opaque to everyone else: host memory on the CPU, device memory
 * on an accelerator. Several contexts, of one executable or of different ones made by the same
 * backend, may be placed on one workspace ({@link Executable#newContext(Workspace)}) so that a worker
 * that runs one execution at a time holds one block of memory, the largest any of them needs,
 * instead of one per context.
 *
 * <p>The contract for contexts sharing a workspace:
 * <ul>
 *   <li>they must never execute at the same time (nor be filled or read while another one executes);
 *   <li>each one's own input and output buffers live in the workspace, so they are only valid
 *       between filling its inputs, its {@link ExecutionContext#execute()} and reading its outputs:
 *       an execution of another context on the same workspace overwrites them (tensors bound with
 *       {@link ExecutionContext#bind} are the caller's and are not touched);
 *   <li>the workspace must stay open until every context placed on it is closed.
 * </ul>
 * Not thread-safe; the caller that owns it hands it to one thread at a time.
 */
public interface Workspace extends AutoCloseable {

    /** Usable bytes; at least what was asked for. */
    long byteSize();

    /** Frees the memory. Idempotent. Contexts placed on it must be closed before. */
    @Override
    void close();
}
