package dev.affect.engine.nn;

import dev.affect.engine.tensor.Tensor;

/** Where layers find their parameters by state_dict key (a checkpoint, or a prefix of one). */
@FunctionalInterface
public interface WeightSource {

    /** The tensor for a key, as float32; throws IllegalArgumentException naming the key when absent. */
    Tensor get(String key);

    default WeightSource prefixed(String prefix) {
        return key -> get(prefix + "." + key);
    }
}
