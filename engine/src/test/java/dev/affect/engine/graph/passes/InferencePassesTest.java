package dev.affect.engine.graph.passes;

import static dev.affect.engine.graph.passes.PassTesting.assertSameOutputs;
import static dev.affect.engine.graph.passes.PassTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Tensors;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.GraphOpCases;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole pipeline on a miniature DDAMFN: residual and stride-2 Mix_Depth_Wise blocks and a dual-direction head. */
class InferencePassesTest {

    /** The authors' building blocks, as the model code writes them (docs/ddamfn.md section 1). */
    private static final class Blocks {
        final GraphBuilder g = new GraphBuilder();

        Value conv(String p, Value x, int out, int kh, int kw, int stride, int padH, int padW, int groups, boolean bias) {
            int in = x.type().dims()[1];
            Value w = g.parameter(p + ".weight", Shape.of(out, in / groups, kh, kw));
            Conv2d op = new Conv2d(stride, stride, padH, padW, groups, bias);
            return bias ? g.add(op, p, x, w, g.parameter(p + ".bias", Shape.of(out))) : g.add(op, p, x, w);
        }

        Value bn(String p, Value x) {
            Shape c = Shape.of(x.type().dims()[1]);
            return g.add(new BatchNorm(1e-5f), p, x, g.parameter(p + ".running_mean", c), g.parameter(p + ".running_var", c),
                    g.parameter(p + ".weight", c), g.parameter(p + ".bias", c));
        }

        Value linearBlock(String p, Value x, int out, int kh, int kw, int s, int ph, int pw, int groups) {
            return bn(p + ".bn", conv(p + ".conv", x, out, kh, kw, s, ph, pw, groups, false));
        }

        Value convBlock(String p, Value x, int out, int k, int s, int pad, int groups) {
            Value y = linearBlock(p, x, out, k, k, s, pad, pad, groups);
            return g.add(new PRelu(), p + ".prelu", y, g.parameter(p + ".prelu.weight", Shape.of(out)));
        }

        Value mdconv(String p, Value x, int[] kernels, int[] splits, int stride) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < splits.length; i++) {
                names.add(p + ".split." + i);
            }
            List<Value> parts = g.addMulti(Split.of(1, splits), names, x);
            Value[] outs = new Value[kernels.length];
            for (int i = 0; i < kernels.length; i++) {
                int k = kernels[i];
                outs[i] = conv(p + ".mixed_depthwise_conv." + i, parts.get(i), splits[i], k, k, stride, k / 2, k / 2, splits[i], false);
            }
            return g.add(new Concat(1), p, outs);
        }

        List<Value> squeezeAndSplit(String p, Value xh, Value xwT, int h, int w) {
            int c = xh.type().dims()[1];
            Value y = g.add(new Concat(2), p + ".cat", xh, xwT);
            y = g.add(Activation.of(Activation.Kind.HSWISH), p + ".act", bn(p + ".bn1", conv(p + ".conv1", y, Math.max(8, c / 32), 1, 1, 1, 0, 0, 1, true)));
            List<Value> parts = g.addMulti(Split.of(2, h, w), List.of(p + ".split.0", p + ".split.1"), y);
            return List.of(parts.get(0), g.add(Transpose.of(0, 1, 3, 2), p + ".split.1.t", parts.get(1)));
        }

        Value[] excite(String p, List<Value> parts, int c) {
            Value ah = g.add(Activation.of(Activation.Kind.SIGMOID), p + ".a_h", conv(p + ".conv2", parts.get(0), c, 1, 1, 1, 0, 0, 1, true));
            Value aw = g.add(Activation.of(Activation.Kind.SIGMOID), p + ".a_w", conv(p + ".conv3", parts.get(1), c, 1, 1, 1, 0, 0, 1, true));
            return new Value[] {ah, aw};
        }

        Value coordAtt(String p, Value x) {
            int[] d = x.type().dims();
            Value xh = g.add(new Mean(3), p + ".pool_h", x);
            Value xw = g.add(Transpose.of(0, 1, 3, 2), p + ".pool_w.t", g.add(new Mean(2), p + ".pool_w", x));
            Value[] a = excite(p, squeezeAndSplit(p, xh, xw, d[2], d[3]), d[1]);
            return g.add(Binary.mul(), p, g.add(Binary.mul(), p + ".mul_w", x, a[1]), a[0]);
        }

        Value mixDepthWise(String p, Value x, int out, int expansion, int[] kernels, int[] splits, int stride, boolean residual) {
            Value t = convBlock(p + ".conv", x, expansion, 1, 1, 0, 1);
            t = mdconv(p + ".conv_dw", t, kernels, splits, stride);
            t = coordAtt(p + ".CA", t);
            t = linearBlock(p + ".project", t, out, 1, 1, 1, 0, 0, 1);
            return residual ? g.add(Binary.add(), p, x, t) : t;
        }

        Value dualDirection(String p, Value x) {
            int[] d = x.type().dims();
            Value xh = linearBlock(p + ".Linear_h", x, d[1], 1, d[3], 1, 0, 0, d[1]);
            Value xw = g.add(Transpose.of(0, 1, 3, 2), p + ".Linear_w.t", linearBlock(p + ".Linear_w", x, d[1], d[2], 1, 1, 0, 0, d[1]));
            Value[] a = excite(p, squeezeAndSplit(p, xh, xw, d[2], d[3]), d[1]);
            return g.add(Binary.mul(), p, a[1], a[0]);
        }
    }

    static Graph miniature() {
        Blocks b = new Blocks();
        Value x = b.g.input("input", TensorType.batched(DType.F32, 3, 23, 19));
        Value s0 = b.convBlock("features.0", x, 8, 3, 2, 1, 1); // [N, 8, 12, 10]
        Value s1 = b.mixDepthWise("features.1", s0, 8, 16, new int[] {3, 5}, new int[] {12, 4}, 1, true);
        Value s2 = b.mixDepthWise("features.2", s1, 12, 24, new int[] {3, 5, 7, 9}, new int[] {6, 6, 6, 6}, 2, false); // [N, 12, 6, 5]
        Value s3 = b.mixDepthWise("features.3", s2, 12, 20, new int[] {3, 5, 7}, new int[] {8, 6, 6}, 1, true);
        Value head0 = b.dualDirection("cat_head0.CoordAtt", s3);
        Value head1 = b.dualDirection("cat_head1.CoordAtt", s3);
        Value map = b.g.add(Binary.max(), "heads.max", head0, head1);
        Value attended = b.g.add(Binary.mul(), "attended", s3, map);
        Value pooled = b.linearBlock("Linear", attended, 12, 6, 5, 1, 0, 0, 12);
        return b.g.output("logits", pooled).output("features", s3).output("head.0", head0).output("features.1", s1).build();
    }

    @Test
    void theMiniatureComputesTheSameWithNoSplitConcatBatchNormOrTransposeLeft() {
        Graph g = miniature();
        try (ParameterStore store = PassTesting.randomStore(g, 51)) {
            Graph p = InferencePasses.apply(g, store);
            for (Class<? extends dev.affect.engine.graph.Op> op : List.of(Split.class, Concat.class, BatchNorm.class,
                    Transpose.class, PRelu.class)) {
                assertEquals(0, count(p, op), op.getSimpleName() + " left in\n" + p.describe());
            }
            assertEquals(g.outputs().keySet(), p.outputs().keySet());
            for (String name : g.outputs().keySet()) {
                assertEquals(g.output(name).type(), p.output(name).type(), name);
            }
            // one merged depthwise per block, the residual blocks' projections carry their residual
            List<Node> dw = PassTesting.nodes(p, Conv2d.class);
            assertEquals(3, dw.size(), p.describe());
            assertTrue(dw.stream().allMatch(n -> n.input(1).name().contains("#merged@")));
            long residuals = PassTesting.nodes(p, FusedConv2d.class).stream().filter(n -> ((FusedConv2d) n.op()).residual()).count();
            assertEquals(2, residuals, p.describe());
            assertTrue(p.nodes().size() < g.nodes().size() / 2, p.nodes().size() + " of " + g.nodes().size());
            assertSameOutputs(g, p, store, PassTesting.randomInputs(g, 2, 52));
        }
    }

    @Test
    void preparingTwiceAddsNothingAndATrainingUpdateFlowsThrough() {
        Graph g = miniature();
        try (ParameterStore store = PassTesting.randomStore(g, 53)) {
            Graph p = InferencePasses.apply(g, store);
            int size = store.names().size();
            assertEquals(p.describe(), InferencePasses.apply(g, store).describe());
            assertEquals(size, store.names().size());
            Map<String, Tensor> in = PassTesting.randomInputs(g, 1, 54);
            Random rnd = new Random(55);
            for (String key : List.of("features.2.conv_dw.mixed_depthwise_conv.3.weight", "features.3.CA.bn1.weight",
                    "cat_head1.CoordAtt.Linear_w.bn.running_var", "features.1.project.conv.weight")) {
                Tensor old = store.get(key);
                store.update(key, PassTesting.random(rnd, old.shape(), 0.2, 1.5));
            }
            store.refreshDerived();
            assertSameOutputs(g, p, store, in);
        }
    }

    @Test
    void passesArePureAndOnlyAddDerivedParameters() {
        Graph g = miniature();
        String before = g.describe();
        try (ParameterStore store = PassTesting.randomStore(g, 56)) {
            Map<String, float[]> values = new java.util.HashMap<>();
            store.names().forEach(n -> values.put(n, store.get(n).toFloatArray()));
            Graph p = InferencePasses.apply(g, store);
            assertEquals(before, g.describe());
            values.forEach((n, v) -> assertTrue(java.util.Arrays.equals(v, store.get(n).toFloatArray()), n));
            for (String n : store.names()) {
                assertTrue(values.containsKey(n) || store.isDerived(n), n);
            }
            for (Value param : p.parameters()) {
                assertTrue(store.contains(param.name()), param.name());
            }
            store.requireFor(p);
        }
    }

    /** The fused forms are what the native backend is for: the passed graph there against the authors' on the reference. */
    @Test
    void passedGraphOnTheCpuBackendMatchesTheAuthorsGraphOnTheReference() {
        RequiredBackend.require("cpu");
        Graph g = miniature();
        try (ParameterStore store = PassTesting.randomStore(g, 57)) {
            Graph p = InferencePasses.apply(g, store);
            Map<String, Tensor> in = PassTesting.randomInputs(g, 3, 58);
            Map<String, Tensor> expected = PassTesting.reference(g, store, in);
            Map<String, Tensor> actual = PassTesting.run("cpu", p, store, in);
            for (String name : expected.keySet()) {
                double err = Tensors.relativeError(actual.get(name), expected.get(name));
                assertTrue(err <= GraphOpCases.CONV_TOL, name + ": relative error " + err);
            }
        }
    }
}
