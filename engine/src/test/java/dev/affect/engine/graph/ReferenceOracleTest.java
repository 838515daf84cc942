package dev.affect.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The oracle checked on its own: known values, identities between ops, and PyTorch's LSTM. */
class ReferenceOracleTest {

    private static Map<String, Tensor> run(Graph g, ParameterStore store, Map<String, Tensor> inputs) {
        Map<String, Shape> shapes = new java.util.HashMap<>();
        inputs.forEach((k, v) -> shapes.put(k, v.shape()));
        try (Backend ref = Backends.open("reference");
             PreparedModel m = ref.prepare(g, store);
             Executable exe = m.compile(shapes);
             ExecutionContext ctx = exe.newContext()) {
            return ctx.run(inputs);
        }
    }

    @Test
    void erfAndGeluMatchKnownValues() {
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-15);
        assertEquals(-0.8427007929497149, Erf.erf(-1.0), 1e-15);
        assertEquals(0.8413447460685429, Activation.of(Activation.Kind.GELU_ERF).apply(1f), 1e-7);
        assertEquals(0.8411919906082768, Activation.of(Activation.Kind.GELU_TANH).apply(1f), 1e-7);
        assertEquals(1.0 / (1.0 + Math.exp(-1.702)), Activation.of(Activation.Kind.QUICK_GELU).apply(1f), 1e-7);
        assertEquals(-0.02f, Activation.leakyRelu(0.01f).apply(-2f), 1e-9);
    }

    @Test
    void matmulWithTransposedWeightIsLinear() {
        Random rng = new Random(1);
        Tensor x = GraphOpCase.gaussian(rng, 2, 3, 9);
        Tensor w = GraphOpCase.gaussian(rng, 5, 9);
        GraphBuilder g = new GraphBuilder();
        Value xi = g.input("x", TensorType.of(DType.F32, x.shape()));
        Value wi = g.input("w", TensorType.of(DType.F32, w.shape()));
        Value wp = g.parameter("w", w.shape());
        g.output("mm", g.add(new MatMul(false, true), "mm", xi, wi));
        g.output("lin", g.add(new Linear(false), "lin", xi, wp));
        try (ParameterStore store = new ParameterStore()) {
            store.put("w", w);
            Map<String, Tensor> out = run(g.build(), store, Map.of("x", x, "w", w));
            assertEquals(Shape.of(2, 3, 5), out.get("mm").shape());
            assertTrue(Tensors.relativeError(out.get("mm"), out.get("lin")) < 1e-6);
        }
    }

    @Test
    void splitThenConcatAndTransposeTwiceAreIdentities() {
        Random rng = new Random(2);
        Tensor x = GraphOpCase.gaussian(rng, 2, 9, 4, 3);
        GraphBuilder g = new GraphBuilder();
        Value xi = g.input("x", TensorType.batched(DType.F32, 9, 4, 3));
        var parts = g.addMulti(Split.of(1, 2, 7), java.util.List.of("a", "b"), xi);
        g.output("cat", g.add(new Concat(1), "cat", parts.get(0), parts.get(1)));
        Value t = g.add(Transpose.of(0, 2, 3, 1), "t", xi);
        g.output("back", g.add(Transpose.of(0, 3, 1, 2), "back", t));
        g.output("soft", g.add(new Softmax(1), "soft", xi));
        try (ParameterStore store = new ParameterStore()) {
            Map<String, Tensor> out = run(g.build(), store, Map.of("x", x));
            assertArrayEquals(x.toFloatArray(), out.get("cat").toFloatArray());
            assertArrayEquals(x.toFloatArray(), out.get("back").toFloatArray());
            float[] s = out.get("soft").toFloatArray();
            for (int n = 0; n < 2; n++) {
                for (int p = 0; p < 12; p++) {
                    double sum = 0;
                    for (int c = 0; c < 9; c++) {
                        sum += s[(n * 9 + c) * 12 + p];
                    }
                    assertEquals(1.0, sum, 1e-6);
                }
            }
        }
    }

    @Test
    void trainingBatchNormNormalisesWithBatchStatistics() {
        Random rng = new Random(3);
        Tensor x = GraphOpCase.uniform(rng, 2f, 5f, 4, 3, 5, 5);
        GraphOpCase c = GraphOpCase.of("bn", BatchNormTraining.defaults(), 0, GraphOpCase.in(x),
                GraphOpCase.param(GraphOpCase.fill(new int[] {3}, i -> 0f)), GraphOpCase.param(GraphOpCase.fill(new int[] {3}, i -> 1f)),
                GraphOpCase.param(GraphOpCase.fill(new int[] {3}, i -> 1f)), GraphOpCase.param(GraphOpCase.fill(new int[] {3}, i -> 0f)));
        try (ParameterStore store = c.newStore()) {
            Map<String, Tensor> out = run(c.graph(), store, c.inputs());
            float[] y = out.get("out0").toFloatArray();
            float[] mean = out.get("out3").toFloatArray();
            for (int ch = 0; ch < 3; ch++) {
                double s = 0;
                double ss = 0;
                for (int n = 0; n < 4; n++) {
                    for (int i = 0; i < 25; i++) {
                        double v = y[(n * 3 + ch) * 25 + i];
                        s += v;
                        ss += v * v;
                    }
                }
                assertEquals(0, s / 100, 1e-5);
                assertEquals(1, ss / 100, 1e-4);
                assertEquals(0.1 * mean[ch], out.get("out1").getFloat(ch), 1e-6); // running mean started at 0
                assertTrue(mean[ch] > 2 && mean[ch] < 5);
            }
        }
    }

    @Test
    void gatherRejectsAnIndexOutsideTheRow() {
        GraphOpCase c = GraphOpCase.of("gather", new Gather(), 0, GraphOpCase.in(GraphOpCase.gaussian(new Random(4), 2, 3, 4)),
                GraphOpCase.in(GraphOpCase.indices(DType.I64, new long[] {1, 3})));
        try (ParameterStore store = c.newStore()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(c.graph(), store, c.inputs()));
            assertEquals("indices", e.field());
        }
    }

    @Test
    void lstmMatchesPyTorch() throws IOException {
        StateDict sd = CheckpointFiles.read(SharedFixtures.reference("lstm_head.pth"));
        Tensor x = NpyReader.read(SharedFixtures.reference("lstm_input.npy"));
        int h = 128;
        GraphBuilder g = new GraphBuilder();
        Value xi = g.input("x", TensorType.batched(DType.F32, 10, 512));
        Value h0 = g.state("h0", TensorType.batched(DType.F32, h));
        Value c0 = g.state("c0", TensorType.batched(DType.F32, h));
        var lstm = g.addMulti(new Lstm(), java.util.List.of("y", "hT", "cT"), xi, h0, c0,
                g.parameter("lstm.weight_ih_l0", Shape.of(4 * h, 512)), g.parameter("lstm.weight_hh_l0", Shape.of(4 * h, h)),
                g.parameter("lstm.bias_ih_l0", Shape.of(4 * h)), g.parameter("lstm.bias_hh_l0", Shape.of(4 * h)));
        Value fc = g.add(new Linear(true), "fc", lstm.get(0), g.parameter("fc.weight", Shape.of(512, h)),
                g.parameter("fc.bias", Shape.of(512)));
        Value relu = g.add(Activation.of(Activation.Kind.RELU), "relu", fc);
        g.output("out", g.add(new Linear(true), "out", relu, g.parameter("out.weight", Shape.of(2, 512)),
                g.parameter("out.bias", Shape.of(2))));
        g.output("hT", lstm.get(1)).output("cT", lstm.get(2));
        try (ParameterStore store = ParameterStore.copyOf(sd.asMap())) {
            Map<String, Tensor> out = run(g.build(), store, Map.of("x", x, "h0", Tensor.zeros(Shape.of(2, h)),
                    "c0", Tensor.zeros(Shape.of(2, h))));
            double yErr = Tensors.relativeError(out.get("out"), NpyReader.read(SharedFixtures.reference("lstm_output.npy")));
            double hErr = Tensors.relativeError(out.get("hT"), NpyReader.read(SharedFixtures.reference("lstm_h.npy")));
            double cErr = Tensors.relativeError(out.get("cT"), NpyReader.read(SharedFixtures.reference("lstm_c.npy")));
            assertTrue(yErr < 1e-5 && hErr < 1e-5 && cErr < 1e-5, "LSTM errors " + yErr + " " + hErr + " " + cErr);
        }
    }
}
