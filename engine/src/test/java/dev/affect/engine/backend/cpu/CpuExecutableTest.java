package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GraphRuns.assertClose;
import static dev.affect.engine.backend.cpu.GraphRuns.gaussian;
import static dev.affect.engine.backend.cpu.GraphRuns.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Gather;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.LayerNorm;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.MatMul;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.Softmax;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cpu backend on the graph IR against the reference backend, on graphs of several ops (so that
 * oneDNN's own layouts flow between layers), plus the executable and context contracts.
 */
class CpuExecutableTest {

    @BeforeEach
    void needsCpu() {
        RequiredBackend.require("cpu");
    }

    /** A small CNN: conv, BN, ReLU, a fused PReLU conv with residual, coordinate attention, pooling, a head. */
    static Graph cnn(ParameterStore store, Random rng) {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 3, 17, 15));
        store.put("c1.w", gaussian(rng, 0.3f, 16, 3, 3, 3));
        store.put("c1.b", gaussian(rng, 0.1f, 16));
        Value y = g.add(new Conv2d(2, 2, 1, 1, 1, true), "c1", x, g.parameter("c1.w", Shape.of(16, 3, 3, 3)),
                g.parameter("c1.b", Shape.of(16)));
        for (String p : new String[] {"bn.mean", "bn.bias", "bn.weight"}) {
            store.put(p, gaussian(rng, 0.5f, 16));
        }
        store.put("bn.var", uniform(rng, 0.5f, 1.5f, 16));
        y = g.add(new BatchNorm(1e-5f), "bn", y, g.parameter("bn.mean", Shape.of(16)), g.parameter("bn.var", Shape.of(16)),
                g.parameter("bn.weight", Shape.of(16)), g.parameter("bn.bias", Shape.of(16)));
        y = g.add(Activation.of(Activation.Kind.RELU), "relu", y);
        store.put("c2.w", gaussian(rng, 0.1f, 16, 1, 3, 3));
        store.put("c2.b", gaussian(rng, 0.1f, 16));
        store.put("c2.slope", uniform(rng, 0.1f, 0.3f, 16));
        Value z = g.add(new FusedConv2d(1, 1, 1, 1, 16, FusedConv2d.PRELU, 0f, true), "c2", y,
                g.parameter("c2.w", Shape.of(16, 1, 3, 3)), g.parameter("c2.b", Shape.of(16)),
                g.parameter("c2.slope", Shape.of(16)), y);
        // coordinate attention: z * sigmoid(mean over W) * sigmoid(mean over H)
        Value ah = g.add(Activation.of(Activation.Kind.SIGMOID), "ah", g.add(new Mean(3), "mh", z));
        Value aw = g.add(Activation.of(Activation.Kind.SIGMOID), "aw", g.add(new Mean(2), "mw", z));
        Value att = g.add(Binary.mul(), "att", g.add(Binary.mul(), "att0", z, aw), ah);
        Value pooled = g.add(new Mean(2), "pool.h", g.add(new Mean(3), "pool.w", att));
        Value flat = g.add(Reshape.of(0, -1), "flat", pooled);
        store.put("fc.w", gaussian(rng, 0.3f, 5, 16));
        store.put("fc.b", gaussian(rng, 0.1f, 5));
        Value logits = g.add(new Linear(true), "fc", flat, g.parameter("fc.w", Shape.of(5, 16)), g.parameter("fc.b", Shape.of(5)));
        g.output("logits", logits);
        g.output("probs", g.add(new Softmax(-1), "softmax", logits));
        g.output("features", att);
        return g.build();
    }

    @Test
    void cnnMatchesReferenceAtSeveralBatchSizes() {
        Random rng = new Random(7);
        try (ParameterStore store = new ParameterStore()) {
            Graph graph = cnn(store, rng);
            for (int n : new int[] {1, 3}) {
                Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, n, 3, 17, 15));
                assertClose(GraphRuns.run("reference", graph, store, in), GraphRuns.run("cpu", graph, store, in), 1e-4, "n" + n);
            }
        }
    }

    @Test
    void describeNamesWhatRunsEachStep() {
        Random rng = new Random(1);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu");
             PreparedModel m = cpu.prepare(cnn(store, rng), store);
             Executable e = m.compile(Map.of("x", Shape.of(2, 3, 17, 15)))) {
            String d = e.describe();
            assertTrue(d.contains("c1 -> "), d);
            assertTrue(d.contains("java kernel: broadcast_mulx3"), "coordinate attention is one kernel pass:\n" + d);
            for (String line : d.split("\n")) {
                if (line.contains(" -> ")) {
                    String impl = line.substring(line.indexOf(" -> ") + 4);
                    assertTrue(!impl.startsWith("?") && !impl.startsWith("ref"), "step without a fast implementation: " + line);
                }
            }
        }
    }

    /** A transformer-ish block: layer norm, q/k/v projections over [N, T, D], attention with transposes and softmax. */
    @Test
    void attentionBlockMatchesReference() {
        Random rng = new Random(3);
        int t = 5;
        int d = 12;
        try (ParameterStore store = new ParameterStore()) {
            GraphBuilder g = new GraphBuilder();
            Value x = g.input("x", TensorType.batched(DType.F32, t, d));
            store.put("ln.w", uniform(rng, 0.5f, 1.5f, d));
            store.put("ln.b", gaussian(rng, 0.1f, d));
            Value h = g.add(new LayerNorm(1e-5f), "ln", x, g.parameter("ln.w", Shape.of(d)), g.parameter("ln.b", Shape.of(d)));
            Value[] qkv = new Value[3];
            for (int i = 0; i < 3; i++) {
                String k = "proj" + i;
                store.put(k + ".w", gaussian(rng, 0.3f, d, d));
                store.put(k + ".b", gaussian(rng, 0.1f, d));
                Value p = g.add(new Linear(true), k, h, g.parameter(k + ".w", Shape.of(d, d)), g.parameter(k + ".b", Shape.of(d)));
                // [N, T, 3 heads, 4] -> [N, 3, T, 4]
                qkv[i] = g.add(Transpose.of(0, 2, 1, 3), k + ".heads", g.add(Reshape.of(0, 0, 3, 4), k + ".split", p));
            }
            Value scores = g.add(new MatMul(false, true), "scores", qkv[0], qkv[1]);
            Value attn = g.add(new Softmax(-1), "attn", g.add(Binary.mul(), "scaled", scores,
                    g.parameter("scale", Shape.of(1))));
            store.put("scale", Tensor.of(new float[] {0.5f}, 1));
            Value ctx = g.add(new MatMul(false, false), "ctx", attn, qkv[2]);
            Value merged = g.add(Reshape.of(0, 0, -1), "merged", g.add(Transpose.of(0, 2, 1, 3), "unheads", ctx));
            g.output("y", g.add(Activation.of(Activation.Kind.GELU_ERF), "gelu", g.add(Binary.add(), "res", merged, x)));
            Graph graph = g.build();
            for (int n : new int[] {1, 2}) {
                Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, n, t, d));
                assertClose(GraphRuns.run("reference", graph, store, in), GraphRuns.run("cpu", graph, store, in), 1e-4, "n" + n);
            }
        }
    }

    /** Every data-movement and normalisation op fed by convolutions, whose outputs are in oneDNN's blocked layouts. */
    @Test
    void opsAfterBlockedLayoutsMatchReference() {
        Random rng = new Random(17);
        try (ParameterStore store = new ParameterStore()) {
            GraphBuilder g = new GraphBuilder();
            Value x = g.input("x", TensorType.batched(DType.F32, 8, 6, 5));
            store.put("w1", gaussian(rng, 0.3f, 32, 8, 3, 3));
            store.put("w2", gaussian(rng, 0.3f, 16, 8, 1, 1));
            Value a = g.add(new Conv2d(1, 1, 1, 1, 1, false), "a", x, g.parameter("w1", Shape.of(32, 8, 3, 3)));
            Value b = g.add(new Conv2d(1, 1, 0, 0, 1, false), "b", x, g.parameter("w2", Shape.of(16, 8, 1, 1)));
            List<Value> parts = g.addMulti(dev.affect.engine.graph.Split.of(1, 16, 16), List.of("p0", "p1"), a);
            Value cat = g.add(new dev.affect.engine.graph.Concat(1), "cat", parts.get(1), b, parts.get(0));
            g.output("sum", g.add(Binary.add(), "sum", parts.get(0), b));
            g.output("sub", g.add(new Binary(Binary.Kind.SUB), "sub", x, g.add(new Mean(1), "m1", a)));
            g.output("t", g.add(Transpose.of(0, 2, 3, 1), "t", cat));
            g.output("s", g.add(new dev.affect.engine.graph.Slice(1, 3, 40, 3), "s", cat));
            g.output("up", g.add(new dev.affect.engine.graph.Upsample(2, 1), "up", b));
            g.output("soft", g.add(new Softmax(1), "soft", b));
            g.output("m0", g.add(new Mean(0), "m0", a));
            store.put("lnw", uniform(rng, 0.5f, 1.5f, 5));
            store.put("lnb", gaussian(rng, 0.1f, 5));
            g.output("ln", g.add(new LayerNorm(1e-5f), "ln", b, g.parameter("lnw", Shape.of(5)), g.parameter("lnb", Shape.of(5))));
            store.put("rm", gaussian(rng, 0.1f, 16));
            store.put("rv", uniform(rng, 0.5f, 1.5f, 16));
            store.put("bw", gaussian(rng, 1f, 16));
            store.put("bb", gaussian(rng, 0.1f, 16));
            List<Value> bnt = g.addMulti(dev.affect.engine.graph.BatchNormTraining.defaults(), List.of("bt", "rm2", "rv2", "bm", "bv"),
                    b, g.parameter("rm", Shape.of(16)), g.parameter("rv", Shape.of(16)), g.parameter("bw", Shape.of(16)),
                    g.parameter("bb", Shape.of(16)));
            for (int i = 0; i < bnt.size(); i++) {
                g.output("bn" + i, bnt.get(i));
            }
            // the conv output as a sequence: [N, 16, 6, 5] -> [N, 16, 30] -> LSTM over 16 steps of 30
            Value seq = g.add(Reshape.of(0, 16, 30), "seq", b);
            store.put("w_ih", gaussian(rng, 0.2f, 12, 30));
            store.put("w_hh", gaussian(rng, 0.2f, 12, 3));
            store.put("b_ih", gaussian(rng, 0.2f, 12));
            store.put("b_hh", gaussian(rng, 0.2f, 12));
            Value h0 = g.state("h0", TensorType.batched(DType.F32, 3));
            Value c0 = g.state("c0", TensorType.batched(DType.F32, 3));
            List<Value> l = g.addMulti(new Lstm(), List.of("ly", "lh", "lc"), seq, h0, c0, g.parameter("w_ih", Shape.of(12, 30)),
                    g.parameter("w_hh", Shape.of(12, 3)), g.parameter("b_ih", Shape.of(12)), g.parameter("b_hh", Shape.of(12)));
            g.output("ly", l.get(0)).output("lh", l.get(1));
            Graph graph = g.build();
            for (int n : new int[] {1, 3}) {
                Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, n, 8, 6, 5), "h0", gaussian(rng, 0.5f, n, 3),
                        "c0", gaussian(rng, 0.5f, n, 3));
                assertClose(GraphRuns.run("reference", graph, store, in), GraphRuns.run("cpu", graph, store, in), 1e-4, "n" + n);
            }
        }
    }

    /** Splits and slices that are one contiguous run (batch 1, or the outermost axis) are views; a consumer reads them in place. */
    @Test
    void contiguousSplitsAreViews() {
        Random rng = new Random(19);
        try (ParameterStore store = new ParameterStore()) {
            GraphBuilder g = new GraphBuilder();
            Value x = g.input("x", TensorType.f32(1, 6, 4, 3));
            List<Value> parts = g.addMulti(dev.affect.engine.graph.Split.of(1, 2, 4), List.of("p0", "p1"), x);
            g.output("r0", g.add(Activation.of(Activation.Kind.TANH), "r0", parts.get(0)));
            g.output("r1", g.add(Activation.of(Activation.Kind.RELU), "r1", parts.get(1)));
            g.output("p1", parts.get(1));
            g.output("s", g.add(new dev.affect.engine.graph.Slice(0, 0, 1, 1), "s", x));
            Graph graph = g.build();
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 1, 6, 4, 3));
            assertClose(GraphRuns.run("reference", graph, store, in), GraphRuns.run("cpu", graph, store, in), 1e-6, "views");
            try (Backend cpu = Backends.open("cpu"); PreparedModel m = cpu.prepare(graph, store);
                 Executable e = m.compile(GraphRuns.shapes(in))) {
                assertTrue(!e.describe().contains("p0 ->") && !e.describe().contains("p1 ->"), e.describe());
            }
        }
    }

    /**
     * A transpose is a view with permuted strides: an NHWC input read as NCHW by a conv, and the
     * conv's nhwc output transposed back to NHWC, run no reorder; the values still match the reference.
     */
    @Test
    void transposesAreViews() {
        Random rng = new Random(23);
        try (ParameterStore store = new ParameterStore()) {
            GraphBuilder g = new GraphBuilder();
            Value x = g.input("x", TensorType.f32(1, 9, 11, 3));
            store.put("c.w", gaussian(rng, 0.3f, 16, 3, 3, 3));
            store.put("c.b", gaussian(rng, 0.1f, 16));
            Value nchw = g.add(Transpose.of(0, 3, 1, 2), "nchw", x);
            Value y = g.add(new Conv2d(1, 1, 1, 1, 1, true), "c", nchw, g.parameter("c.w", Shape.of(16, 3, 3, 3)),
                    g.parameter("c.b", Shape.of(16)));
            g.output("rows", g.add(Reshape.of(0, -1, 16), "rows", g.add(Transpose.of(0, 2, 3, 1), "nhwc", y)));
            // a transpose that moves only a size-1 axis is plain as it stands: the concat takes it as it is
            Value column = g.input("column", TensorType.f32(1, 3, 9, 1));
            Value swapped = g.add(Transpose.of(0, 1, 3, 2), "swapped", column);
            g.output("cat", g.add(new Concat(2), "cat", swapped, g.input("row", TensorType.f32(1, 3, 1, 9))));
            Graph graph = g.build();
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 1, 9, 11, 3), "column", gaussian(rng, 1f, 1, 3, 9, 1),
                    "row", gaussian(rng, 1f, 1, 3, 1, 9));
            assertClose(GraphRuns.run("reference", graph, store, in), GraphRuns.run("cpu", graph, store, in), 1e-5, "views");
            try (Backend cpu = Backends.open("cpu"); PreparedModel m = cpu.prepare(graph, store);
                 Executable e = m.compile(GraphRuns.shapes(in))) {
                String d = e.describe();
                // steps: the conv and the concat, nothing that copies (a reorder, or an output made plain)
                assertEquals(2, d.lines().filter(l -> l.contains(" -> ")).count(), d);
            }
        }
    }

    /** Per-channel broadcasts stay with oneDNN's jit binary; broadcasts along H or W take the NHWC kernel. */
    @Test
    void broadcastsPickTheFastImplementation() {
        Random rng = new Random(23);
        try (ParameterStore store = new ParameterStore()) {
            GraphBuilder g = new GraphBuilder();
            Value x = g.input("x", TensorType.batched(DType.F32, 8, 5, 6));
            store.put("scale", gaussian(rng, 1f, 1, 8, 1, 1));
            g.output("scaled", g.add(Binary.mul(), "scaled", x, g.parameter("scale", Shape.of(1, 8, 1, 1))));
            g.output("rows", g.add(new Binary(Binary.Kind.SUB), "rows", x, g.add(new Mean(3), "mean", x)));
            Graph graph = g.build();
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 2, 8, 5, 6));
            assertClose(GraphRuns.run("reference", graph, store, in), GraphRuns.run("cpu", graph, store, in), 1e-6, "broadcasts");
            try (Backend cpu = Backends.open("cpu"); PreparedModel m = cpu.prepare(graph, store);
                 Executable e = m.compile(GraphRuns.shapes(in))) {
                String d = e.describe();
                assertTrue(d.contains("scaled -> jit") && d.contains("rows -> java kernel: broadcast_subx2"), d);
            }
        }
    }

    static Graph lstmGraph(int t, int d, int h) {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, t, d));
        Value h0 = g.state("h0", TensorType.batched(DType.F32, h));
        Value c0 = g.state("c0", TensorType.batched(DType.F32, h));
        List<Value> out = g.addMulti(new Lstm(), List.of("y", "h", "c"), x, h0, c0, g.parameter("w_ih", Shape.of(4 * h, d)),
                g.parameter("w_hh", Shape.of(4 * h, h)), g.parameter("b_ih", Shape.of(4 * h)), g.parameter("b_hh", Shape.of(4 * h)));
        g.output("y", out.get(0)).output("h", out.get(1)).output("c", out.get(2));
        return g.build();
    }

    static void lstmWeights(ParameterStore store, Random rng, int d, int h) {
        store.put("w_ih", gaussian(rng, 0.3f, 4 * h, d));
        store.put("w_hh", gaussian(rng, 0.3f, 4 * h, h));
        store.put("b_ih", gaussian(rng, 0.3f, 4 * h));
        store.put("b_hh", gaussian(rng, 0.3f, 4 * h));
    }

    @Test
    void lstmMatchesReferenceForOneAndSevenSteps() {
        Random rng = new Random(11);
        int d = 6;
        int h = 5;
        try (ParameterStore store = new ParameterStore()) {
            lstmWeights(store, rng, d, h);
            for (int t : new int[] {1, 7}) {
                Graph graph = lstmGraph(t, d, h);
                Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 3, t, d), "h0", gaussian(rng, 0.5f, 3, h),
                        "c0", gaussian(rng, 0.5f, 3, h));
                assertClose(GraphRuns.run("reference", graph, store, in), GraphRuns.run("cpu", graph, store, in), 1e-4, "T" + t);
            }
        }
    }

    /** Seven steps at once equal seven single steps with the state carried by the caller. */
    @Test
    void lstmStepByStepEqualsWholeSequence() {
        Random rng = new Random(12);
        int d = 4;
        int h = 3;
        int t = 7;
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu")) {
            lstmWeights(store, rng, d, h);
            Tensor x = gaussian(rng, 1f, 2, t, d);
            Tensor h0 = gaussian(rng, 0.5f, 2, h);
            Tensor c0 = gaussian(rng, 0.5f, 2, h);
            Map<String, Tensor> whole;
            try (PreparedModel m = cpu.prepare(lstmGraph(t, d, h), store);
                 Executable e = m.compile(Map.of("x", x.shape(), "h0", h0.shape(), "c0", c0.shape()));
                 ExecutionContext c = e.newContext()) {
                whole = c.run(Map.of("x", x, "h0", h0, "c0", c0));
            }
            try (PreparedModel m = cpu.prepare(lstmGraph(1, d, h), store);
                 Executable e = m.compile(Map.of("x", Shape.of(2, 1, d), "h0", h0.shape(), "c0", c0.shape()));
                 ExecutionContext c = e.newContext()) {
                c.input("h0").copyFrom(h0);
                c.input("c0").copyFrom(c0);
                float[] xs = x.toFloatArray();
                for (int s = 0; s < t; s++) {
                    float[] step = new float[2 * d];
                    for (int b = 0; b < 2; b++) {
                        System.arraycopy(xs, (b * t + s) * d, step, b * d, d);
                    }
                    c.input("x").copyFrom(step);
                    c.execute();
                    c.input("h0").copyFrom(c.output("h"));
                    c.input("c0").copyFrom(c.output("c"));
                }
                assertClose(Map.of("h", whole.get("h"), "c", whole.get("c")),
                        Map.of("h", c.output("h"), "c", c.output("c")), 1e-5, "stepwise");
            }
        }
    }

    @Test
    void gatherIsAJavaKernelAndRejectsBadIndices() {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 4, 3));
        Value idx = g.input("idx", TensorType.batched(DType.I32));
        g.output("y", g.add(new Gather(), "y", x, idx));
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu");
             PreparedModel m = cpu.prepare(g.build(), store);
             Executable e = m.compile(Map.of("x", Shape.of(2, 4, 3), "idx", Shape.of(2)));
             ExecutionContext c = e.newContext()) {
            assertTrue(e.describe().contains("y -> java kernel: gather"), e.describe());
            float[] xs = new float[24];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = i;
            }
            Tensor ids = Tensor.zeros(DType.I32, Shape.of(2));
            ids.setFloat(0, 3);
            ids.setFloat(1, 1);
            Map<String, Tensor> out = c.run(Map.of("x", Tensor.of(xs, 2, 4, 3), "idx", ids));
            assertEquals(List.of(9f, 10f, 11f, 15f, 16f, 17f), toList(out.get("y")));
            ids.setFloat(1, 4);
            c.input("idx").copyFrom(ids);
            InvalidInputException bad = assertThrows(InvalidInputException.class, c::execute);
            assertEquals("idx", bad.field());
        }
    }

    private static List<Float> toList(Tensor t) {
        float[] v = t.toFloatArray();
        java.util.ArrayList<Float> l = new java.util.ArrayList<>();
        for (float f : v) {
            l.add(f);
        }
        return l;
    }

    @Test
    void bindUsesCallerTensorsAndRejectsWrongShapes() {
        Random rng = new Random(5);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu");
             PreparedModel m = cpu.prepare(cnn(store, rng), store);
             Executable e = m.compile(Map.of("x", Shape.of(2, 3, 17, 15)));
             ExecutionContext c = e.newContext()) {
            Tensor x = gaussian(rng, 1f, 2, 3, 17, 15);
            Map<String, Tensor> expected = c.run(Map.of("x", x));
            Tensor logits = Tensor.zeros(Shape.of(2, 5));
            Tensor probs = Tensor.zeros(Shape.of(2, 5));
            c.bind("x", x);
            c.bind("logits", logits);
            c.bind("probs", probs);
            assertTrue(c.input("x") == x && c.output("logits") == logits);
            c.execute();
            GraphRuns.assertSame(Map.of("logits", expected.get("logits"), "probs", expected.get("probs")),
                    Map.of("logits", logits, "probs", probs), "bound");
            InvalidInputException wrong = assertThrows(InvalidInputException.class,
                    () -> c.bind("x", Tensor.zeros(Shape.of(1, 3, 17, 15))));
            assertEquals("x", wrong.field());
            InvalidInputException unknown = assertThrows(InvalidInputException.class,
                    () -> c.bind("nope", Tensor.zeros(Shape.of(2, 5))));
            assertEquals("nope", unknown.field());
            assertThrows(InvalidInputException.class, () -> c.bind("logits", Tensor.zeros(DType.I32, Shape.of(2, 5))));
        }
    }

    @Test
    void wrongInputShapeAtCompileNamesTheInput() {
        Random rng = new Random(5);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu");
             PreparedModel m = cpu.prepare(cnn(store, rng), store)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> m.compile(Map.of("x", Shape.of(2, 4, 17, 15))));
            assertEquals("x", e.field());
        }
    }

    @Test
    void missingParameterIsNamedAtPrepare() {
        Random rng = new Random(5);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu")) {
            Graph graph = cnn(store, rng);
            try (ParameterStore empty = new ParameterStore()) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> cpu.prepare(graph, empty));
                assertEquals("c1.w", e.field());
            }
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        Random rng = new Random(5);
        try (ParameterStore store = new ParameterStore()) {
            Backend cpu = Backends.open("cpu");
            PreparedModel m = cpu.prepare(cnn(store, rng), store);
            Executable e = m.compile(Map.of("x", Shape.of(1, 3, 17, 15)));
            ExecutionContext c = e.newContext();
            c.execute();
            c.close();
            c.close();
            assertThrows(IllegalStateException.class, c::execute);
            assertThrows(IllegalStateException.class, () -> c.bind("x", Tensor.zeros(Shape.of(1, 3, 17, 15))));
            e.close();
            e.close();
            assertThrows(IllegalStateException.class, e::newContext);
            m.close();
            m.close();
            assertThrows(IllegalStateException.class, () -> m.compile(Map.of("x", Shape.of(1, 3, 17, 15))));
            cpu.close();
            cpu.close();
        }
    }

    @Test
    void contextsOfOneExecutableAreIndependent() {
        Random rng = new Random(9);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu");
             PreparedModel m = cpu.prepare(cnn(store, rng), store);
             Executable e = m.compile(Map.of("x", Shape.of(2, 3, 17, 15)));
             ExecutionContext a = e.newContext();
             ExecutionContext b = e.newContext()) {
            Tensor xa = gaussian(rng, 1f, 2, 3, 17, 15);
            Tensor xb = gaussian(rng, 1f, 2, 3, 17, 15);
            Map<String, Tensor> ra = a.run(Map.of("x", xa));
            b.run(Map.of("x", xb));
            GraphRuns.assertSame(ra, a.copyOutputs(), "context a after b ran");
            assertTrue(e.signature().outputs().size() == 3);
        }
    }
}
