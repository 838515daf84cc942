package dev.affect.engine.model.ddamfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.CanonicalOp;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnKeys;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The structure of the authors' graph: parameters by state_dict key, op counts, shapes, outputs. */
class DdamfnNetworkTest {
    static final DdamfnConfig EIGHT = new DdamfnConfig(8, 2);
    /** BNs forward() runs: 3 plain Conv_blocks, 3 per Mix_Depth_Wise (34 blocks), 3 per head, the GDConv's. */
    static final int EXECUTED_BNS = 3 + 3 * 34 + 3 * 2 + 1;

    static long count(Graph g, Class<? extends Op> op) {
        return g.nodes().stream().filter(n -> op.isInstance(n.op())).count();
    }

    @Test
    void parametersAreTheStateDictKeysForwardUses() {
        Graph g = DdamfnNetwork.build(EIGHT, DdamfnMode.INFERENCE);
        Map<String, Shape> expected = DdamfnKeys.expected(EIGHT);
        for (Value p : g.parameters()) {
            assertEquals(Value.Kind.PARAMETER, p.kind());
            assertTrue(expected.containsKey(p.name()), "not a state_dict key: " + p.name());
            assertEquals(TensorType.of(DType.F32, expected.get(p.name())), p.type(), p.name());
        }
        Set<String> used = g.parameters().stream().map(Value::name).collect(Collectors.toSet());
        Set<String> unused = new TreeSet<>(expected.keySet());
        unused.removeAll(used);
        unused.removeIf(k -> k.endsWith(".num_batches_tracked"));
        // Exactly the modules forward() never runs: MDConv bn/prelu, each head's Linear, DDAMNet.bn.
        for (String k : unused) {
            assertTrue(k.matches("features\\.\\d(\\.model\\.\\d+)?\\.conv_dw\\.(bn|prelu)\\..*")
                    || k.matches("cat_head\\d\\.CoordAtt\\.Linear\\.(conv|bn)\\..*") || k.matches("bn\\..*"), k);
        }
        assertEquals(34 * 5 + 2 * 5 + 4, unused.size(), "34 MDConv bn (4) + prelu (1), 2 head Linear conv + bn (5), bn (4)");
        assertEquals(g.parameters().size(), used.size(), "each parameter declared once");
    }

    @Test
    void opsAreTheAuthorsNotRewritten() {
        Graph g = DdamfnNetwork.build(EIGHT, DdamfnMode.INFERENCE);
        assertTrue(g.nodes().stream().allMatch(n -> n.op() instanceof CanonicalOp), "no fused op in the model's own graph");
        assertEquals(EXECUTED_BNS, count(g, BatchNorm.class));
        assertEquals(0, count(g, BatchNormTraining.class));
        // Every MDConv (34) and every coordinate attention (34 backbone + 2 heads) splits and concatenates once.
        assertEquals(34 + 34 + 2, count(g, Split.class));
        assertEquals(34 + 34 + 2, count(g, Concat.class));
        assertEquals(2 * 34, count(g, Mean.class));
        assertEquals(1, g.nodes().stream().filter(n -> n.op() instanceof Binary b && b.kind() == Binary.Kind.MAX).count());
        // 9 + 16 + 6 residual adds.
        assertEquals(31, g.nodes().stream().filter(n -> n.op() instanceof Binary b && b.kind() == Binary.Kind.ADD).count());
        // The 9x9 depthwise of features.6 is its own convolution, with padding 4, on its own 256 channels.
        Node dw9 = producer(g, "features.6.conv_dw.mixed_depthwise_conv.3");
        assertEquals(new Conv2d(2, 2, 4, 4, 256, false), dw9.op());
        assertEquals("features.6.conv_dw.mixed_depthwise_conv.3.weight", dw9.input(1).name());
        assertEquals(TensorType.batched(DType.F32, 256, 7, 7), dw9.output().type());
        Node split = producer(g, "features.6.conv_dw.split.0");
        assertEquals(Split.of(1, 256, 256, 256, 256), split.op());
    }

    @Test
    void backboneCoordinateAttentionConcatenatesBothDirections() {
        Graph g = DdamfnNetwork.build(EIGHT, DdamfnMode.INFERENCE);
        String p = "features.2.CA";
        assertEquals(new Mean(3), producer(g, p + ".pool_h").op());
        assertEquals(new Mean(2), producer(g, p + ".pool_w").op());
        assertEquals(Transpose.of(0, 1, 3, 2), producer(g, p + ".pool_w.t").op());
        Node cat = producer(g, p + ".cat");
        assertEquals(new Concat(2), cat.op());
        assertEquals(List.of(p + ".pool_h", p + ".pool_w.t"), cat.inputs().stream().map(Value::name).toList());
        assertEquals(TensorType.batched(DType.F32, 128, 56, 1), cat.output().type());
        Node conv1 = producer(g, p + ".conv1");
        assertEquals(Conv2d.of(1, 0, 1, true), conv1.op());
        assertEquals(List.of(p + ".cat", p + ".conv1.weight", p + ".conv1.bias"), conv1.inputs().stream().map(Value::name).toList());
        assertEquals(List.of(p + ".conv1", p + ".bn1.running_mean", p + ".bn1.running_var", p + ".bn1.weight", p + ".bn1.bias"),
                producer(g, p + ".bn1").inputs().stream().map(Value::name).toList());
        assertEquals(Split.of(2, 28, 28), producer(g, p + ".split.0").op());
        assertEquals(TensorType.batched(DType.F32, 8, 1, 28), producer(g, p + ".split.1.t").output().type());
        assertEquals(TensorType.batched(DType.F32, 128, 28, 1), producer(g, p + ".a_h").output().type());
        assertEquals(TensorType.batched(DType.F32, 128, 1, 28), producer(g, p + ".a_w").output().type());
        Node out = producer(g, p);
        assertEquals(List.of(p + ".mul_w", p + ".a_h"), out.inputs().stream().map(Value::name).toList());
    }

    @Test
    void headIsTheDualDirectionMap() {
        Graph g = DdamfnNetwork.build(EIGHT, DdamfnMode.INFERENCE);
        String p = "cat_head1.CoordAtt";
        assertEquals(new Conv2d(1, 1, 0, 0, 512, false), producer(g, p + ".Linear_h.conv").op());
        assertEquals(TensorType.batched(DType.F32, 512, 7, 1), producer(g, p + ".Linear_h.bn").output().type());
        assertEquals(TensorType.batched(DType.F32, 512, 1, 7), producer(g, p + ".Linear_w.bn").output().type());
        assertEquals(TensorType.batched(DType.F32, 512, 14, 1), producer(g, p + ".cat").output().type());
        assertEquals(TensorType.batched(DType.F32, 16, 14, 1), producer(g, p + ".act").output().type());
        Node map = producer(g, p);
        assertEquals(List.of(p + ".a_w", p + ".a_h"), map.inputs().stream().map(Value::name).toList());
        assertEquals(map.output(), g.output(DdamfnNetwork.head(1)));
        Node max = producer(g, "heads.max1");
        assertEquals(List.of("cat_head0.CoordAtt", p), max.inputs().stream().map(Value::name).toList());
        assertEquals(List.of("features.8.prelu", "heads.max1"), producer(g, "attended").inputs().stream().map(Value::name).toList());
    }

    @Test
    void outputsHaveTheFixtureShapes() {
        Graph g = DdamfnNetwork.build(EIGHT, DdamfnMode.INFERENCE);
        List<String> names = new ArrayList<>(List.of("logits", "embedding", "features", "head.0", "head.1"));
        for (int s = 0; s < 9; s++) {
            names.add("features." + s);
        }
        assertEquals(names, List.copyOf(g.outputs().keySet()));
        assertEquals(List.of("input"), g.inputs().stream().map(Value::name).toList());
        Map<Integer, Shape> shapes = g.inferShapes(Map.of("input", Shape.of(4, 3, 112, 112)));
        Map<String, Shape> want = Map.ofEntries(Map.entry("logits", Shape.of(4, 8)), Map.entry("embedding", Shape.of(4, 512)),
                Map.entry("features", Shape.of(4, 512, 7, 7)), Map.entry("head.0", Shape.of(4, 512, 7, 7)),
                Map.entry("features.0", Shape.of(4, 64, 56, 56)), Map.entry("features.1", Shape.of(4, 64, 56, 56)),
                Map.entry("features.2", Shape.of(4, 64, 28, 28)), Map.entry("features.3", Shape.of(4, 64, 28, 28)),
                Map.entry("features.4", Shape.of(4, 128, 14, 14)), Map.entry("features.5", Shape.of(4, 128, 14, 14)),
                Map.entry("features.6", Shape.of(4, 256, 7, 7)), Map.entry("features.7", Shape.of(4, 256, 7, 7)),
                Map.entry("features.8", Shape.of(4, 512, 7, 7)));
        want.forEach((name, shape) -> assertEquals(shape, shapes.get(g.output(name).id()), name));
        assertEquals(g.output("features"), g.output("features.8"));
    }

    @Test
    void valueNamesAreUnique() {
        for (DdamfnMode mode : DdamfnMode.values()) {
            Graph g = DdamfnNetwork.build(new DdamfnConfig(7, 4), mode);
            Set<String> seen = new HashSet<>();
            g.inputs().forEach(v -> assertTrue(seen.add(v.name()), v.name()));
            g.parameters().forEach(v -> assertTrue(seen.add(v.name()), v.name()));
            g.nodes().forEach(n -> n.outputs().forEach(v -> assertTrue(seen.add(v.name()), mode + ": " + v.name())));
        }
    }

    @Test
    void fourHeadsTakeTheirMaximumPairwise() {
        Graph g = DdamfnNetwork.build(new DdamfnConfig(7, 4), DdamfnMode.INFERENCE);
        assertEquals(3, g.nodes().stream().filter(n -> n.op() instanceof Binary b && b.kind() == Binary.Kind.MAX).count());
        assertEquals(List.of("heads.max2", "cat_head3.CoordAtt"), producer(g, "heads.max3").inputs().stream().map(Value::name).toList());
        assertEquals(TensorType.batched(DType.F32, 7), g.output("logits").type());
    }

    @Test
    void trainingModeUsesBatchStatisticsAndOutputsEveryUpdatedRunningStatistic() {
        Graph g = DdamfnNetwork.build(EIGHT, DdamfnMode.TRAINING);
        assertEquals(0, count(g, BatchNorm.class));
        assertEquals(EXECUTED_BNS, count(g, BatchNormTraining.class));
        Map<String, Shape> expected = DdamfnKeys.expected(EIGHT);
        List<String> stats = g.outputs().keySet().stream().filter(k -> k.endsWith(".running_mean") || k.endsWith(".running_var"))
                .toList();
        assertEquals(2 * EXECUTED_BNS, stats.size());
        for (String k : stats) {
            Value v = g.output(k);
            assertEquals(TensorType.of(DType.F32, expected.get(k)), v.type(), k);
            Node bn = producer(g, v.name());
            assertTrue(bn.op() instanceof BatchNormTraining t && t.eps() == 1e-5f && t.momentum() == 0.1f, k);
            int slot = k.endsWith(".running_mean") ? BatchNormTraining.RUNNING_MEAN : BatchNormTraining.RUNNING_VAR;
            assertEquals(bn.outputs().get(slot), v, k);
            assertEquals(k, bn.input(slot).name(), "the update of " + k + " reads " + k);
        }
        assertTrue(stats.contains("features.3.model.4.CA.bn1.running_var"));
        assertTrue(stats.contains("Linear.bn.running_mean"));
        // The coordinate attention's bn1 normalises the concatenated [N, mip, H+W, 1] as the authors do.
        assertEquals(TensorType.batched(DType.F32, 8, 56, 1), producer(g, "features.2.CA.bn1").input(0).type());
    }

    static Node producer(Graph g, String valueName) {
        return g.nodes().stream().filter(n -> n.outputs().stream().anyMatch(v -> v.name().equals(valueName))).findFirst()
                .orElseThrow(() -> new AssertionError("no value " + valueName));
    }
}
