package dev.affect.engine.graph.autograd;

import dev.affect.engine.graph.Graph;
import java.util.List;

/**
 * A forward graph and its backward graph. The forward is the model's graph plus outputs named
 * {@code saved:<value>} holding what the backward reads; the backward's inputs are those saved
 * values, the forward inputs it reads (same names) and one upstream gradient
 * {@code grad:<output>} per seeded output; its outputs are {@code grad:<name>} for every name
 * differentiated with respect to. Run the forward, compute the loss and its gradients on the
 * host, then bind forward outputs, inputs and seeds into the backward and execute it.
 *
 * @param saved names of the forward outputs the backward reads as inputs of the same name
 * @param inputs names of the forward graph inputs the backward reads as inputs of the same name
 */
public record TrainingGraphs(Graph forward, Graph backward, List<String> saved, List<String> inputs) {

    public TrainingGraphs {
        saved = List.copyOf(saved);
        inputs = List.copyOf(inputs);
    }
}
