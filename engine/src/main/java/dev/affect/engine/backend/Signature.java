package dev.affect.engine.backend;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.tensor.Tensor;
import java.util.List;

/** What an executable takes and gives, in graph order. */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public TensorSpec input(String name) {
        return inputs.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no input '" + name + "'; inputs are "
                        + inputs.stream().map(TensorSpec::name).toList()));
    }

    public TensorSpec output(String name) {
        return outputs.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no output '" + name + "'; outputs are "
                        + outputs.stream().map(TensorSpec::name).toList()));
    }

    /** The spec of an input or output of this name, or null. */
    public TensorSpec find(String name) {
        for (TensorSpec s : inputs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        for (TensorSpec s : outputs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Checks a tensor a caller binds; a mismatch is the caller's error naming the tensor. */
    public TensorSpec requireBindable(String name, Tensor t) {
        TensorSpec s = find(name);
        if (s == null) {
            throw new InvalidInputException(name, "not an input or output of this executable; inputs "
                    + inputs.stream().map(TensorSpec::name).toList() + ", outputs " + outputs.stream().map(TensorSpec::name).toList());
        }
        if (!s.shape().equals(t.shape()) || s.dtype() != t.dtype()) {
            throw new InvalidInputException(name, "bound " + t.dtype() + t.shape() + ", expected " + s.dtype() + s.shape());
        }
        return s;
    }
}
