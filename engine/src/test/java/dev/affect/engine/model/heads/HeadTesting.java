package dev.affect.engine.model.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Backends, random heads and comparisons for the head tests. */
final class HeadTesting {
    /** The backends every numerical head test runs on. */
    static final List<String> BACKENDS = List.of("reference", "cpu");

    private HeadTesting() {
    }

    static Stream<String> backends() {
        return BACKENDS.stream();
    }

    /**
     * Opens a backend, or skips the test with the reason: unavailable here, or not yet running the
     * graph IR (prepare unsupported).
     */
    static Backend open(String name) {
        Backend b = RequiredBackend.require(name).open(BackendOptions.defaults());
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 2));
        g.output("y", g.add(new Linear(false), "y", x, g.parameter("w", Shape.of(2, 2))));
        try (ParameterStore store = new ParameterStore()) {
            store.put("w", Tensor.zeros(Shape.of(2, 2)));
            b.prepare(g.build(), store).close();
        } catch (UnsupportedOperationException e) {
            b.close();
            Assumptions.abort(name + " does not run the graph IR yet: " + e.getMessage());
        }
        return b;
    }

    static Tensor gaussian(Random rng, float scale, int... dims) {
        Tensor t = Tensor.zeros(Shape.of(dims));
        for (long i = 0; i < t.numel(); i++) {
            t.setFloat(i, (float) rng.nextGaussian() * scale);
        }
        return t;
    }

    /** A random head state_dict in PyTorch's key order (lstm, fc, task layer). */
    static StateDict randomHead(Random rng, boolean lstm, String key, int d, int h, int f, int n) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        if (lstm) {
            float s = (float) (1 / Math.sqrt(h));
            m.put("lstm.weight_ih_l0", gaussian(rng, s, 4 * h, d));
            m.put("lstm.weight_hh_l0", gaussian(rng, s, 4 * h, h));
            m.put("lstm.bias_ih_l0", gaussian(rng, s, 4 * h));
            m.put("lstm.bias_hh_l0", gaussian(rng, s, 4 * h));
        }
        int k = lstm ? h : d;
        m.put("fc.weight", gaussian(rng, (float) (1 / Math.sqrt(k)), f, k));
        m.put("fc.bias", gaussian(rng, 0.1f, f));
        m.put(key + ".weight", gaussian(rng, (float) (1 / Math.sqrt(f)), n, f));
        m.put(key + ".bias", gaussian(rng, 0.1f, n));
        return new StateDict(m);
    }

    /** Rows [from, to) of the flattened [rows, width] view of t. */
    static Tensor rows(Tensor t, int from, int to) {
        int width = t.shape().dim(t.shape().rank() - 1);
        return t.reshape(Shape.of((int) (t.numel() / width), width)).slice(from, to);
    }

    /** Element-wise |a - b| <= abs + rel * |b|; returns the largest |a - b|. */
    static double assertClose(Tensor actual, Tensor expected, double abs, double rel, String what) {
        assertEquals(expected.numel(), actual.numel(), what + ": sizes " + actual.shape() + " vs " + expected.shape());
        double worst = 0;
        for (long i = 0; i < expected.numel(); i++) {
            double a = actual.getDouble(i);
            double e = expected.getDouble(i);
            double d = Math.abs(a - e);
            long at = i;
            assertTrue(d <= abs + rel * Math.abs(e), () -> what + ": element " + at + " is " + a + ", expected " + e);
            worst = Math.max(worst, d);
        }
        return worst;
    }

    /** max |a - b| / max |b| within the bound; returns it. */
    static double assertRelative(Tensor actual, Tensor expected, double bound, String what) {
        double err = Tensors.relativeError(actual, expected);
        assertTrue(err <= bound, () -> what + ": relative error " + err + " > " + bound);
        return err;
    }

    /** The task's activation applied to raw rows [N, n], in double. */
    static Tensor activate(Task task, Tensor raw) {
        int n = raw.shape().dim(0);
        int w = raw.shape().dim(1);
        Tensor out = Tensor.zeros(raw.shape());
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int k = 0; k < w; k++) {
                max = Math.max(max, raw.getDouble((long) r * w + k));
            }
            for (int k = 0; k < w; k++) {
                sum += Math.exp(raw.getDouble((long) r * w + k) - max);
            }
            for (int k = 0; k < w; k++) {
                double z = raw.getDouble((long) r * w + k);
                double v = switch (task.activation()) {
                    case TANH -> Math.tanh(z);
                    case SIGMOID -> 1 / (1 + Math.exp(-z));
                    case SOFTMAX -> Math.exp(z - max) / sum;
                };
                out.setFloat((long) r * w + k, (float) v);
            }
        }
        return out;
    }

    /** Logs a measured error so test reports carry it. */
    static void report(String what, double err) {
        System.out.printf("[heads] %s: %.3g%n", what, err);
    }
}
