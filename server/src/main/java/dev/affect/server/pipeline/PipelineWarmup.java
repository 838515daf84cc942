package dev.affect.server.pipeline;

import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineState;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a pipeline a few times on blank frames before it serves, so that the first client's frames
 * do not pay for the JIT compiling the Java side of a pass (measured: a cold server answered a
 * fresh stream's first frames in about a second, a warm one in 15-20 ms).
 */
public final class PipelineWarmup {
    private static final int[] BATCHES = {1, 2, 4};
    private static final int ROUNDS = 4;

    private PipelineWarmup() {
    }

    /** Backbone and heads at small batch sizes; returns the milliseconds it took. */
    public static long run(ServedPipeline served) {
        long start = System.nanoTime();
        Pipeline heads = served.pipeline().orElse(null);
        try (TensorScope scope = new TensorScope()) {
            for (int round = 0; round < ROUNDS; round++) {
                for (int n : BATCHES) {
                    Tensor frames = scope.allocate(DType.F32, Ddamfn.inputShape(n));
                    Tensor embeddings = scope.allocate(DType.F32, Shape.of(n, served.backbone().embeddingSize()));
                    served.backbone().embed(frames, embeddings);
                    if (heads != null) {
                        List<PipelineState> states = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            states.add(heads.newState(scope));
                        }
                        heads.stepOnEmbeddings(embeddings, states, scope);
                    }
                }
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
