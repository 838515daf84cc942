package dev.affect.engine.training;

import dev.affect.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What training minimises: a loss over some outputs of a forward pass, computed on the host, with
 * its gradient with respect to each of those outputs (the seeds of the backward pass).
 *
 * @param <T> the targets of one batch (labels, masks, frozen text embeddings)
 */
public interface Objective<T> {

    /** The forward outputs the loss differentiates, fixed for the objective's life. */
    List<String> seededOutputs();

    /**
     * The loss of one batch. {@code outputs} holds every forward output by name, valid only during
     * the call; the seeds must be keyed by {@link #seededOutputs()}, laid out as their outputs.
     */
    ObjectiveValue evaluate(Map<String, Tensor> outputs, T targets);
}
