package dev.affect.engine.model.heads;

import dev.affect.engine.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Pipeline} call gives: the frames' embeddings [N, D] and, per head key, its values
 * [N, n] (va after tanh, expr and au probabilities, raw heads as their task layer gives them).
 */
public record PipelineOutput(Tensor embeddings, Map<String, Tensor> values) {

    public PipelineOutput {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The values of the head with this key; IllegalArgumentException when the pipeline has none. */
    public Tensor get(String key) {
        Tensor t = values.get(key);
        if (t == null) {
            throw new IllegalArgumentException("no head '" + key + "'; outputs: " + values.keySet());
        }
        return t;
    }

    public Tensor get(Task task) {
        return get(task.key());
    }

    public boolean has(Task task) {
        return values.containsKey(task.key());
    }
}
