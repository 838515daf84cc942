package dev.affect.engine.backend;

import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A graph compiled by one backend for fixed input shapes. It owns every buffer it needs, so the
 * steady state allocates nothing: fill {@link #input}, call {@link #execute}, read {@link #output}.
 * A plan is not thread-safe: one thread executes it at a time.
 */
public interface Plan extends AutoCloseable {

    /** The plan-owned buffer of a graph input, to be filled before {@link #execute}. */
    Tensor input(String name);

    void execute();

    /** The plan-owned buffer of a graph output; valid until the next {@link #execute} or close. */
    Tensor output(String name);

    /** One line per step with what executes it (for profiles and "why is this slow" questions). */
    String describe();

    @Override
    void close();

    /** Convenience for tests and tools: copies inputs in, executes, returns copies of every output. */
    default Map<String, Tensor> run(Map<String, Tensor> inputs, Iterable<String> outputNames) {
        inputs.forEach((name, t) -> input(name).copyFrom(t));
        execute();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : outputNames) {
            Tensor o = output(name);
            Tensor copy = Tensor.zeros(o.shape());
            copy.copyFrom(o);
            out.put(name, copy);
        }
        return out;
    }
}
