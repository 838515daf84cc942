package dev.affect.engine.model.demo;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;

/** Filled float32 tensors for the demo state_dicts. */
final class DemoTensors {
    private DemoTensors() {
    }

    static Tensor constant(Shape shape, float value) {
        Tensor t = Tensor.zeros(shape);
        for (long i = 0; i < t.numel(); i++) {
            t.setFloat(i, value);
        }
        return t;
    }

    /** Normal(0, std^2) samples of the named tensor's own stream. */
    static Tensor normal(Shape shape, double std, long seed, String name) {
        SeededNormal rng = new SeededNormal(seed, name);
        Tensor t = Tensor.zeros(shape);
        for (long i = 0; i < t.numel(); i++) {
            t.setFloat(i, (float) (rng.next() * std));
        }
        return t;
    }

    /** Uniform(-bound, bound) samples of the named tensor's own stream (PyTorch's Linear and LSTM default). */
    static Tensor uniform(Shape shape, double bound, long seed, String name) {
        SeededNormal rng = new SeededNormal(seed, name);
        Tensor t = Tensor.zeros(shape);
        for (long i = 0; i < t.numel(); i++) {
            t.setFloat(i, (float) rng.uniform(bound));
        }
        return t;
    }
}
