package dev.affect.engine.backend;

import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One worker's execution state for an {@link Executable}: activation buffers, scratchpad and the
 * caller buffers bound to inputs and outputs. Not thread-safe; one thread at a time. Steady-state
 * {@link #execute()} allocates nothing.
 */
public interface ExecutionContext extends AutoCloseable {

    /**
     * Binds a caller-owned tensor to an input (read by the next executions) or an output (written by
     * them) of this name, replacing the context's own buffer. It must match the signature's shape and
     * type and outlive its use here.
     */
    void bind(String name, Tensor tensor);

    /** The buffer an input is read from: the bound tensor, or the context's own one to fill. */
    Tensor input(String name);

    /** The buffer an output is written to: the bound tensor, or the context's own one, valid until the next execute. */
    Tensor output(String name);

    void execute();

    /** Idempotent. */
    @Override
    void close();

    /** For tests and tools: copies inputs in, executes, returns copies of every output. */
    default Map<String, Tensor> run(Map<String, Tensor> inputs) {
        inputs.forEach((name, t) -> input(name).copyFrom(t));
        execute();
        return copyOutputs();
    }

    /** Fresh copies of every output of the last execution, in signature order. */
    Map<String, Tensor> copyOutputs();

    /** Copies of the outputs as GC-owned tensors; used by {@link #copyOutputs} implementations. */
    static Map<String, Tensor> copies(Signature signature, ExecutionContext context) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec s : signature.outputs()) {
            out.put(s.name(), Tensor.copyOf(context.output(s.name())));
        }
        return out;
    }
}
