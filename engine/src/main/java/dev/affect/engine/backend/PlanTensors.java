package dev.affect.engine.backend;

import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plan's named input and output buffers, with lookups that say what does exist. */
public final class PlanTensors {
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private final Map<String, Tensor> outputs = new LinkedHashMap<>();

    public void addInput(String name, Tensor t) {
        inputs.put(name, t);
    }

    public void addOutput(String name, Tensor t) {
        outputs.put(name, t);
    }

    public Tensor input(String name) {
        return lookup(inputs, "input", name);
    }

    public Tensor output(String name) {
        return lookup(outputs, "output", name);
    }

    private static Tensor lookup(Map<String, Tensor> m, String kind, String name) {
        Tensor t = m.get(name);
        if (t == null) {
            throw new IllegalArgumentException("plan has no " + kind + " '" + name + "'; it has " + m.keySet());
        }
        return t;
    }
}
