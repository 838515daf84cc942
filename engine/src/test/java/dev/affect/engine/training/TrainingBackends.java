package dev.affect.engine.training;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.training.optim.Adam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** The backends the training tests run on, skipped with a reason where they cannot train. */
final class TrainingBackends {
    /** The reference backend must train; the others are checked where they have lowered backward ops. */
    static final String REFERENCE = "reference";
    static final List<String> ALL = List.of(REFERENCE, "cpu");

    private TrainingBackends() {
    }

    /**
     * The named backend. One that is unavailable here, or (other than the reference backend) does
     * not yet run backward ops, skips the calling test with the reason.
     */
    static Backend open(String name) {
        Backend b = RequiredBackend.require(name).open(BackendOptions.defaults());
        if (name.equals(REFERENCE)) {
            return b;
        }
        try (ParameterStore store = new ParameterStore()) {
            store.put("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
            try (TrainingStep<Void> probe = TrainingStep.prepare(linear(), b, store, List.of("w"), new SumObjective(),
                    Adam.of(1e-3))) {
                probe.step(Map.of("x", Tensor.of(new float[] {1, 1}, 1, 2)), null);
            }
        } catch (UnsupportedOperationException e) {
            b.close();
            Assumptions.abort(name + " cannot train yet: " + e.getMessage());
        }
        return b;
    }

    private static Graph linear() {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 2));
        g.output("y", g.add(new Linear(false), "y", x, g.parameter("w", Shape.of(2, 2))));
        return g.build();
    }

    /** L = sum(y), seeding ones. */
    private static final class SumObjective implements Objective<Void> {
        @Override
        public List<String> seededOutputs() {
            return List.of("y");
        }

        @Override
        public ObjectiveValue evaluate(Map<String, Tensor> outputs, Void targets) {
            float[] y = outputs.get("y").toFloatArray();
            float[] ones = new float[y.length];
            java.util.Arrays.fill(ones, 1);
            double sum = 0;
            for (float v : y) {
                sum += v;
            }
            return new ObjectiveValue(sum, 1, Map.of("y", ones));
        }
    }
}
