package dev.affect.cli.benchtrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.model.heads.HeadTrainingGraphs;
import dev.affect.engine.model.heads.Task;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PyTorch's default ranges: Linear +-1/sqrt(in_features) for weight and bias, LSTM +-1/sqrt(hidden). */
class HeadInitialWeightsTest {
    @Test
    void everyTensorFillsItsLayersRange() {
        Graph graph = HeadTrainingGraphs.lstm(Task.AU, 10);
        Map<String, Double> bounds = Map.of(
                "lstm.weight_ih_l0", 1 / Math.sqrt(128), "lstm.weight_hh_l0", 1 / Math.sqrt(128),
                "lstm.bias_ih_l0", 1 / Math.sqrt(128), "lstm.bias_hh_l0", 1 / Math.sqrt(128),
                "fc.weight", 1 / Math.sqrt(128), "fc.bias", 1 / Math.sqrt(128),
                "au.weight", 1 / Math.sqrt(512), "au.bias", 1 / Math.sqrt(512));
        try (ParameterStore store = HeadInitialWeights.draw(graph, new Random(7))) {
            assertEquals(bounds.keySet(), store.names());
            for (Value p : graph.parameters()) {
                float[] v = store.get(p.name()).toFloatArray();
                assertArrayEquals(p.type().dims(), store.get(p.name()).shape().dims(), p.name());
                double max = 0;
                for (float x : v) {
                    max = Math.max(max, Math.abs(x));
                }
                double bound = bounds.get(p.name());
                assertTrue(max <= bound, p.name() + ": " + max + " > " + bound);
                // uniform over the whole range: even the 12 AU biases come near its edge, not a narrower one
                assertTrue(max > (v.length > 100 ? 0.99 : 0.5) * bound, p.name() + ": max " + max + " of " + bound);
            }
        }
    }
}
