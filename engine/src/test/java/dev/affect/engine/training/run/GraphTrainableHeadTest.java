package dev.affect.engine.training.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.heads.FcHead;
import dev.affect.engine.model.heads.LstmHead;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.engine.training.data.EpochOrder;
import dev.affect.engine.training.data.SynthSet;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.optim.LearningRate;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training core's heads behind the run's interface, on the reference backend. */
class GraphTrainableHeadTest {
    @TempDir
    static Path dir;
    private static SynthSet set;
    private static Backend backend;

    @BeforeAll
    static void setUp() throws IOException {
        set = SynthSet.create(dir, 3, 40, 9);
        backend = Backends.open("reference");
    }

    @AfterAll
    static void tearDown() {
        backend.close();
    }

    private static WindowBatch firstBatch(RunData data, int n) {
        return data.train().batch(EpochOrder.sequential(data.train().size()), 0, n);
    }

    @Test
    void lstmStepsLowerTheLossAndTheWeightsServeAsAnLstmHeadWithTheSameValues() throws IOException {
        RunConfig c = RunConfig.defaults(AbawTask.VA, HeadKind.LSTM).withSeed(3);
        RunData data = RunData.open(set.dataset(), set.cache(), c);
        try (TrainableHead head = GraphTrainableHead.on(backend).create(c, 512, LearningRate.constant(1e-3));
             WindowBatch batch = firstBatch(data, 4)) {
            double first = head.step(batch);
            for (int i = 0; i < 4; i++) {
                head.step(batch);
            }
            double later = head.step(batch);
            assertTrue(later < first, "loss " + first + " -> " + later);

            float[] predicted = head.predict(batch);
            StateDict weights = head.weights();
            assertEquals(java.util.List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
                    "fc.weight", "fc.bias", "va.weight", "va.bias"), weights.names());
            try (LstmHead serving = LstmHead.load(weights, backend); TensorScope scope = new TensorScope()) {
                Tensor x = batch.embeddings();
                int t = batch.length();
                for (int w = 0; w < batch.windows(); w++) {
                    Tensor out = scope.allocate(dev.affect.engine.tensor.DType.F32, Shape.of(t, 2));
                    serving.sequence(x.slice(w, w + 1).reshape(Shape.of(t, 512)), serving.newState(scope), out);
                    float[] expected = java.util.Arrays.copyOfRange(predicted, w * t * 2, (w + 1) * t * 2);
                    assertArrayEquals(expected, out.toFloatArray(), 1e-5f, "window " + w);
                }
            }
        }
    }

    @Test
    void restoringWeightsAndOptimizerStateContinuesBitIdentically() throws IOException {
        RunConfig c = RunConfig.defaults(AbawTask.AU, HeadKind.FC).withOptimizer(OptimizerKind.ADAMW, 1e-3, 0.01)
                .withSeed(4);
        RunData data = RunData.open(set.dataset(), set.cache(), c);
        TrainableHead.Factory heads = GraphTrainableHead.on(backend);
        try (TrainableHead a = heads.create(c, 512, LearningRate.constant(1e-3));
             TrainableHead b = heads.create(c, 512, LearningRate.constant(1e-3));
             WindowBatch batch = firstBatch(data, 3)) {
            a.step(batch);
            a.step(batch);
            b.restore(a.weights(), a.optimizerState());
            assertEquals(a.step(batch), b.step(batch), 0.0);
            assertArrayEquals(a.weights().get("fc.weight").toFloatArray(), b.weights().get("fc.weight").toFloatArray());
            assertEquals(3, a.optimizerState().get("step").getLong(0));
            try (FcHead serving = FcHead.load(b.weights(), backend)) {
                float[] predicted = b.predict(batch);
                Tensor out = Tensor.zeros(Shape.of(batch.rows(), 12));
                serving.forward(batch.embeddings().reshape(Shape.of(batch.rows(), 512)), out);
                assertArrayEquals(predicted, out.toFloatArray(), 1e-5f);
            }
        }
    }
}
