package dev.affect.engine.backend;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Shape;
import java.util.Map;

/**
 * A graph and its parameters made ready on one backend: weights uploaded or reordered once, shared
 * by every executable compiled from it. Thread-safe.
 */
public interface PreparedModel extends AutoCloseable {

    Graph graph();

    ParameterStore parameters();

    /**
     * Compiles for concrete input shapes (input and state names to shapes). Expensive: done ahead of
     * time, never on a request path. The executable borrows this model's weights; close it first.
     */
    Executable compile(Map<String, Shape> inputShapes);

    /** Idempotent. Executables compiled from it must be closed before. */
    @Override
    void close();
}
