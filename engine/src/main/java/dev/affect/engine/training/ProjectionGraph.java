package dev.affect.engine.training;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;

/**
 * The paper's image projection for the contrastive loss: {@code I = proj2(ReLU(proj1(img)))}, two
 * Linear(width, width) layers over frozen image embeddings {@value #INPUT} f32[N, width]; output
 * {@value #OUTPUT} f32[N, width]. Parameters {@code proj1.weight}, {@code proj1.bias},
 * {@code proj2.weight}, {@code proj2.bias}.
 */
public final class ProjectionGraph {
    public static final String INPUT = "image";
    public static final String OUTPUT = "projection";

    private ProjectionGraph() {
    }

    public static Graph build(int width) {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input(INPUT, TensorType.batched(DType.F32, width));
        Value h = b.add(new Linear(true), "proj1", x, b.parameter("proj1.weight", Shape.of(width, width)),
                b.parameter("proj1.bias", Shape.of(width)));
        Value r = b.add(Activation.of(Activation.Kind.RELU), "proj1_relu", h);
        Value out = b.add(new Linear(true), "proj2", r, b.parameter("proj2.weight", Shape.of(width, width)),
                b.parameter("proj2.bias", Shape.of(width)));
        b.output(OUTPUT, out);
        return b.build();
    }
}
