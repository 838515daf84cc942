package dev.affect.engine.graph.passes;

import static dev.affect.engine.graph.passes.PassTesting.assertSameOutputs;
import static dev.affect.engine.graph.passes.PassTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CoordinateAttentionSplitTest {

    enum Variant { AUTHORS, TRAINING_BN, CONCAT_IS_OUTPUT, CHAIN_VALUE_TWICE }

    /** The backbone CoordAtt as the authors write it (section 1.1 of docs/ddamfn.md), on [N, c, h, w]. */
    static Graph coordAtt(int c, int mip, int h, int w, Variant variant) {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, c, h, w));
        Value xh = g.add(new Mean(3), "ca.pool_h", x);
        Value xw = g.add(Transpose.of(0, 1, 3, 2), "ca.pool_w.t", g.add(new Mean(2), "ca.pool_w", x));
        Value cat = g.add(new Concat(2), "ca.cat", xh, xw);
        Value y = cat;
        y = g.add(Conv2d.of(1, 0, 1, true), "ca.conv1", y, g.parameter("ca.conv1.weight", Shape.of(mip, c, 1, 1)),
                g.parameter("ca.conv1.bias", Shape.of(mip)));
        Value[] bn = {y, g.parameter("ca.bn1.running_mean", Shape.of(mip)), g.parameter("ca.bn1.running_var", Shape.of(mip)),
                g.parameter("ca.bn1.weight", Shape.of(mip)), g.parameter("ca.bn1.bias", Shape.of(mip))};
        y = variant == Variant.TRAINING_BN
                ? g.addMulti(BatchNormTraining.defaults(), List.of("ca.bn1", "ca.bn1.rm", "ca.bn1.rv", "ca.bn1.bm", "ca.bn1.bv"), bn).get(0)
                : g.add(new BatchNorm(1e-5f), "ca.bn1", bn);
        Value z = g.add(Activation.of(Activation.Kind.HSWISH), "ca.act", y);
        List<Value> parts = g.addMulti(Split.of(2, h, w), List.of("ca.split.h", "ca.split.w"), z);
        Value pw = g.add(Transpose.of(0, 1, 3, 2), "ca.split.w.t", parts.get(1));
        Value ah = g.add(Activation.of(Activation.Kind.SIGMOID), "ca.a_h", g.add(Conv2d.of(1, 0, 1, true), "ca.conv2",
                parts.get(0), g.parameter("ca.conv2.weight", Shape.of(c, mip, 1, 1)), g.parameter("ca.conv2.bias", Shape.of(c))));
        Value aw = g.add(Activation.of(Activation.Kind.SIGMOID), "ca.a_w", g.add(Conv2d.of(1, 0, 1, true), "ca.conv3",
                pw, g.parameter("ca.conv3.weight", Shape.of(c, mip, 1, 1)), g.parameter("ca.conv3.bias", Shape.of(c))));
        g.output("y", g.add(Binary.mul(), "ca", g.add(Binary.mul(), "ca.mul_w", x, aw), ah));
        if (variant == Variant.CONCAT_IS_OUTPUT) {
            g.output("cat", cat);
        }
        if (variant == Variant.CHAIN_VALUE_TWICE) {
            g.output("pre", y);
        }
        return g.build();
    }

    @Test
    void runsThePerPositionChainOnEachHalf() {
        Graph g = coordAtt(6, 8, 5, 7, Variant.AUTHORS);
        try (ParameterStore store = PassTesting.randomStore(g, 11)) {
            Graph s = new CoordinateAttentionSplit().apply(g, store);
            assertEquals(0, count(s, Concat.class), s.describe());
            assertEquals(0, count(s, Split.class));
            assertEquals(0, count(s, Transpose.class));
            List<Node> conv1 = PassTesting.nodes(s, Conv2d.class).stream()
                    .filter(n -> n.input(1).name().equals("ca.conv1.weight")).toList();
            assertEquals(2, conv1.size());
            assertEquals(conv1.get(0).input(1), conv1.get(1).input(1), "both halves read one weight value");
            assertEquals(TensorType.batched(DType.F32, 8, 5, 1), conv1.get(0).output().type());
            assertEquals(TensorType.batched(DType.F32, 8, 1, 7), conv1.get(1).output().type());
            assertEquals(2, count(s, BatchNorm.class));
            assertEquals(g.parameters().size(), s.parameters().size());
            assertEquals(store.names(), Set.copyOf(g.parameters().stream().map(Value::name).toList()),
                    "no derived parameters");
            assertSameOutputs(g, s, store, PassTesting.randomInputs(g, 2, 12));
        }
    }

    @Test
    void squareMapsToo() {
        Graph g = coordAtt(5, 8, 6, 6, Variant.AUTHORS);
        try (ParameterStore store = PassTesting.randomStore(g, 13)) {
            Graph s = new CoordinateAttentionSplit().apply(g, store);
            assertEquals(0, count(s, Concat.class));
            assertSameOutputs(g, s, store, PassTesting.randomInputs(g, 3, 14));
        }
    }

    @Test
    void neverSplitsTrainingBatchNormNorValuesThatAreSeenElsewhere() {
        for (Variant v : List.of(Variant.TRAINING_BN, Variant.CONCAT_IS_OUTPUT, Variant.CHAIN_VALUE_TWICE)) {
            Graph g = coordAtt(6, 8, 5, 7, v);
            try (ParameterStore store = PassTesting.randomStore(g, 15)) {
                assertEquals(g.describe(), new CoordinateAttentionSplit().apply(g, store).describe(), v.name());
            }
        }
    }

    @Test
    void thenFoldsTheSharedBatchNormOnceForBothHalves() {
        Graph g = coordAtt(6, 8, 5, 7, Variant.AUTHORS);
        try (ParameterStore store = PassTesting.randomStore(g, 16)) {
            Graph p = InferencePasses.apply(g, store);
            assertEquals(0, count(p, BatchNorm.class) + count(p, Concat.class) + count(p, Split.class)
                    + count(p, Transpose.class) + count(p, Conv2d.class), p.describe());
            List<Node> fused = PassTesting.nodes(p, FusedConv2d.class);
            assertEquals(4, fused.size(), p.describe());
            List<Node> act = fused.stream().filter(n -> "HSWISH".equals(((FusedConv2d) n.op()).activation())).toList();
            assertEquals(2, act.size());
            assertEquals(act.get(0).inputs().subList(1, 3), act.get(1).inputs().subList(1, 3));
            Set<String> derived = store.names().stream().filter(n -> n.contains("#")).collect(Collectors.toSet());
            assertEquals(2, derived.size(), derived.toString());
            assertTrue(fused.stream().filter(n -> "SIGMOID".equals(((FusedConv2d) n.op()).activation()))
                    .allMatch(n -> n.input(2).name().endsWith(".bias") && !n.input(2).name().contains("#")));
            assertSameOutputs(g, p, store, PassTesting.randomInputs(g, 2, 17));
        }
    }
}
