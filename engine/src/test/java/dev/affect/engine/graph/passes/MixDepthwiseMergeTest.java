package dev.affect.engine.graph.passes;

import static dev.affect.engine.graph.passes.PassTesting.assertSameOutputs;
import static dev.affect.engine.graph.passes.PassTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MixDepthwiseMergeTest {

    /** How the authors' MDConv is built, and the ways a graph can differ from it. */
    private record Md(int[] kernels, int[] splits, int stride, int h, int w, int[] pads, int[] strides,
                      boolean bias, boolean extraUse, boolean partIsOutput) {

        static Md of(int[] kernels, int[] splits, int stride, int h, int w) {
            int[] pads = Arrays.stream(kernels).map(k -> k / 2).toArray();
            int[] strides = Arrays.stream(kernels).map(k -> stride).toArray();
            return new Md(kernels, splits, stride, h, w, pads, strides, false, false, false);
        }

        Graph graph() {
            GraphBuilder g = new GraphBuilder();
            int channels = Arrays.stream(splits).sum();
            Value x = g.input("x", TensorType.batched(DType.F32, channels, h, w));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < splits.length; i++) {
                names.add("md.split." + i);
            }
            List<Value> parts = g.addMulti(Split.of(1, splits), names, x);
            List<Value> ys = new ArrayList<>();
            for (int i = 0; i < kernels.length; i++) {
                int k = kernels[i];
                Value wt = g.parameter("md.mixed_depthwise_conv." + i + ".weight", Shape.of(splits[i], 1, k, k));
                Conv2d conv = new Conv2d(strides[i], strides[i], pads[i], pads[i], splits[i], bias);
                ys.add(bias ? g.add(conv, "md.conv" + i, parts.get(i), wt,
                        g.parameter("md.mixed_depthwise_conv." + i + ".bias", Shape.of(splits[i])))
                        : g.add(conv, "md.conv" + i, parts.get(i), wt));
            }
            g.output("y", g.add(new Concat(1), "md", ys.toArray(Value[]::new)));
            if (extraUse) {
                g.output("extra", g.add(Activation.of(Activation.Kind.RELU), "extra", ys.get(0)));
            }
            if (partIsOutput) {
                g.output("part", ys.get(1));
            }
            return g.build();
        }
    }

    private static final int[] KERNELS = {3, 5, 7, 9};
    private static final int[] SPLITS = {3, 2, 2, 1};

    @Test
    void stride2MixedKernelsBecomeOneZeroCentredDepthwiseConv() {
        Graph g = Md.of(KERNELS, SPLITS, 2, 13, 11).graph();
        try (ParameterStore store = PassTesting.randomStore(g, 1)) {
            Graph m = new MixDepthwiseMerge().apply(g, store);
            assertEquals(0, count(m, Split.class));
            assertEquals(0, count(m, Concat.class));
            assertEquals(1, m.nodes().size(), m.describe());
            Node conv = m.nodes().get(0);
            assertEquals(new Conv2d(2, 2, 4, 4, 8, false), conv.op());
            assertSame(g.input("x"), conv.input(0));
            Value w = conv.input(1);
            assertEquals(Value.Kind.PARAMETER, w.kind());
            assertTrue(w.name().startsWith("md.mixed_depthwise_conv.0.weight#merged@"), w.name());
            assertTrue(store.isDerived(w.name()));
            assertEquals(List.of(w), m.parameters());
            assertEquals(g.output("y").type(), m.output("y").type());
            assertEquals(TensorType.batched(DType.F32, 8, 7, 6), m.output("y").type());

            // channel 3 is the first of the 5x5 part: its kernel sits in rows/cols 2..6 of the 9x9 one
            Tensor merged = store.get(w.name());
            Tensor k5 = store.get("md.mixed_depthwise_conv.1.weight");
            for (int y = 0; y < 9; y++) {
                for (int x = 0; x < 9; x++) {
                    boolean inside = y >= 2 && y < 7 && x >= 2 && x < 7;
                    float expected = inside ? k5.getFloat((y - 2) * 5 + (x - 2)) : 0f;
                    assertEquals(expected, merged.getFloat((3 * 9 + y) * 9 + x), "tap " + y + "," + x);
                }
            }
            assertSameOutputs(g, m, store, PassTesting.randomInputs(g, 2, 7));
        }
    }

    @Test
    void authorsConfigurationsMatchNumerically() {
        int[][][] configs = {{{3, 5, 7}, {4, 2, 2}}, {{3, 5}, {6, 2}}, {{3, 5, 7}, {3, 3, 2}}};
        for (int stride : new int[] {1, 2}) {
            for (int[][] c : configs) {
                Graph g = Md.of(c[0], c[1], stride, 9, 8).graph();
                try (ParameterStore store = PassTesting.randomStore(g, stride * 31L + c[0].length)) {
                    Graph m = new MixDepthwiseMerge().apply(g, store);
                    assertEquals(1, m.nodes().size(), m.describe());
                    assertSameOutputs(g, m, store, PassTesting.randomInputs(g, 3, 5));
                }
            }
        }
    }

    @Test
    void leavesNearMissesAlone() {
        Md base = Md.of(KERNELS, SPLITS, 1, 9, 9);
        List<Md> misses = List.of(
                new Md(KERNELS, SPLITS, 1, 9, 9, base.pads(), base.strides(), false, true, false),
                new Md(KERNELS, SPLITS, 1, 9, 9, base.pads(), base.strides(), false, false, true),
                new Md(KERNELS, SPLITS, 1, 9, 9, base.pads(), base.strides(), true, false, false),
                // strides 2 and 1 differ but give the same output size on a 1x1 input
                new Md(new int[] {3, 5}, new int[] {2, 2}, 1, 1, 1, new int[] {1, 2}, new int[] {2, 1}, false, false, false),
                // even kernels, "same" padding plus one on each side
                Md.of(new int[] {2, 4}, new int[] {2, 2}, 1, 9, 9));
        for (Md md : misses) {
            Graph g = md.graph();
            try (ParameterStore store = PassTesting.randomStore(g, 3)) {
                Graph m = new MixDepthwiseMerge().apply(g, store);
                assertEquals(g.describe(), m.describe());
                assertTrue(store.names().stream().noneMatch(n -> n.contains("#")), store.names().toString());
            }
        }
    }

    @Test
    void leavesNonSquareKernelsAlone() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", TensorType.batched(DType.F32, 4, 7, 7));
        List<Value> parts = b.addMulti(Split.of(1, 2, 2), List.of("s0", "s1"), x);
        Value y0 = b.add(Conv2d.of(1, 1, 2, false), "c0", parts.get(0), b.parameter("w0", Shape.of(2, 1, 3, 3)));
        Value y1 = b.add(new Conv2d(1, 1, 1, 2, 2, false), "c1", parts.get(1), b.parameter("w1", Shape.of(2, 1, 3, 5)));
        Graph g = b.output("y", b.add(new Concat(1), "cat", y0, y1)).build();
        try (ParameterStore store = PassTesting.randomStore(g, 3)) {
            assertEquals(g.describe(), new MixDepthwiseMerge().apply(g, store).describe());
        }
    }

    @Test
    void preparingTwiceReusesTheDerivation() {
        Graph g = Md.of(KERNELS, SPLITS, 2, 9, 9).graph();
        try (ParameterStore store = PassTesting.randomStore(g, 4)) {
            Graph a = new MixDepthwiseMerge().apply(g, store);
            int size = store.names().size();
            Graph b = new MixDepthwiseMerge().apply(g, store);
            assertEquals(size, store.names().size());
            assertEquals(a.parameters().get(0).name(), b.parameters().get(0).name());
        }
    }

    @Test
    void kernelUpdateFlowsIntoTheMergedKernelOnRefresh() {
        Graph g = Md.of(KERNELS, SPLITS, 2, 10, 9).graph();
        try (ParameterStore store = PassTesting.randomStore(g, 5)) {
            Graph m = new MixDepthwiseMerge().apply(g, store);
            String merged = m.parameters().get(0).name();
            Tensor before = store.get(merged);
            float[] old = before.toFloatArray();
            store.update("md.mixed_depthwise_conv.2.weight",
                    PassTesting.random(new Random(9), Shape.of(2, 1, 7, 7), -1, 1));
            store.refreshDerived();
            float[] now = store.get(merged).toFloatArray();
            assertNotEquals(Arrays.toString(old), Arrays.toString(now));
            // the 7x7 kernels of channels 5 and 6 sit at offset 1 in the 9x9 one
            Tensor k7 = store.get("md.mixed_depthwise_conv.2.weight");
            assertEquals(k7.getFloat(49 + 3 * 7 + 4), now[(6 * 9 + 4) * 9 + 5]);
            assertSameOutputs(g, m, store, PassTesting.randomInputs(g, 1, 6));
        }
    }
}
