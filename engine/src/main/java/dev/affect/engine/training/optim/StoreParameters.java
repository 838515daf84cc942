package dev.affect.engine.training.optim;

import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Tensor;

/** Reads a parameter out of the store as floats and writes new values back (bumping its version). */
final class StoreParameters {
    private StoreParameters() {
    }

    static float[] read(ParameterStore store, String name) {
        return store.get(name).toFloatArray();
    }

    static void write(ParameterStore store, String name, float[] values) {
        store.update(name, Tensor.of(values, store.get(name).shape().dims()));
    }
}
