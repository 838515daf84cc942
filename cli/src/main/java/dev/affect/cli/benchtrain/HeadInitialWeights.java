package dev.affect.cli.benchtrain;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A fresh head's weights as PyTorch draws them by default, so both sides train comparable numbers:
 * Linear weight and bias uniform in +-1/sqrt(in_features), every LSTM tensor in +-1/sqrt(hidden).
 */
final class HeadInitialWeights {
    private static final String LSTM_PREFIX = "lstm.";

    private HeadInitialWeights() {
    }

    static ParameterStore draw(Graph graph, Random rng) {
        Map<String, int[]> dims = new HashMap<>();
        for (Value p : graph.parameters()) {
            dims.put(p.name(), p.type().dims());
        }
        ParameterStore store = new ParameterStore();
        try {
            for (Value p : graph.parameters()) {
                int[] d = p.type().dims();
                double bound = 1 / Math.sqrt(fanIn(p.name(), d, dims));
                float[] values = new float[Math.toIntExact(p.type().shape().numel())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                }
                store.put(p.name(), Tensor.of(values, d));
            }
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static int fanIn(String name, int[] d, Map<String, int[]> dims) {
        if (name.startsWith(LSTM_PREFIX)) {
            return d[0] / 4; // gate rows i, f, g, o of the hidden size each
        }
        if (d.length == 2) {
            return d[1];
        }
        int[] weight = dims.get(name.replace(".bias", ".weight"));
        if (weight == null || weight.length != 2) {
            throw new IllegalArgumentException("no Linear weight for bias " + name);
        }
        return weight[1];
    }
}
