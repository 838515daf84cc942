package dev.affect.engine.graph.passes;

import static dev.affect.engine.graph.passes.PassTesting.assertSameOutputs;
import static dev.affect.engine.graph.passes.PassTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {

    enum Variant { PLAIN, CONV_BIAS, GROUPED, CONV_OUT_TWICE, CONV_OUT_IS_OUTPUT, TRAINING }

    static Graph convBn(Variant v) {
        GraphBuilder g = new GraphBuilder();
        int groups = v == Variant.GROUPED ? 3 : 1;
        Value x = g.input("x", TensorType.batched(DType.F32, 6, 9, 7));
        Value w = g.parameter("c.conv.weight", Shape.of(9, 6 / groups, 3, 3));
        Value y = v == Variant.CONV_BIAS
                ? g.add(Conv2d.of(2, 1, groups, true), "c.conv", x, w, g.parameter("c.conv.bias", Shape.of(9)))
                : g.add(Conv2d.of(2, 1, groups, false), "c.conv", x, w);
        Value[] bn = {y, g.parameter("c.bn.running_mean", Shape.of(9)), g.parameter("c.bn.running_var", Shape.of(9)),
                g.parameter("c.bn.weight", Shape.of(9)), g.parameter("c.bn.bias", Shape.of(9))};
        Value z = v == Variant.TRAINING
                ? g.addMulti(BatchNormTraining.defaults(), List.of("c.bn", "rm", "rv", "bm", "bv"), bn).get(0)
                : g.add(new BatchNorm(1e-3f), "c.bn", bn);
        g.output("y", z);
        if (v == Variant.CONV_OUT_TWICE) {
            g.output("r", g.add(Activation.of(Activation.Kind.RELU), "r", y));
        }
        if (v == Variant.CONV_OUT_IS_OUTPUT) {
            g.output("conv", y);
        }
        return g.build();
    }

    @Test
    void foldsIntoAFusedConvWithDerivedWeightAndBias() {
        for (Variant v : List.of(Variant.PLAIN, Variant.CONV_BIAS, Variant.GROUPED)) {
            Graph g = convBn(v);
            try (ParameterStore store = PassTesting.randomStore(g, 21)) {
                Graph f = new BatchNormFolding().apply(g, store);
                assertEquals(1, f.nodes().size(), f.describe());
                Node n = f.nodes().get(0);
                Conv2d c = (Conv2d) g.nodes().get(0).op();
                assertEquals(FusedConv2d.of(c), n.op());
                assertTrue(n.input(1).name().startsWith("c.conv.weight#folded@"), n.input(1).name());
                assertTrue(n.input(2).name().startsWith("c.conv.weight#folded-bias@"), n.input(2).name());
                assertEquals(2, f.parameters().size(), "the BatchNorm's and conv's own parameters are no longer read");
                assertSameOutputs(g, f, store, PassTesting.randomInputs(g, 2, 22));
            }
        }
    }

    @Test
    void foldedValuesAreTheFormula() {
        Graph g = convBn(Variant.CONV_BIAS);
        try (ParameterStore store = PassTesting.randomStore(g, 23)) {
            Node n = new BatchNormFolding().apply(g, store).nodes().get(0);
            Tensor w = store.get("c.conv.weight");
            Tensor fw = store.get(n.input(1).name());
            Tensor fb = store.get(n.input(2).name());
            for (int o = 0; o < 9; o++) {
                double s = store.get("c.bn.weight").getFloat(o) / Math.sqrt(store.get("c.bn.running_var").getFloat(o) + 1e-3f);
                assertEquals(w.getFloat(o * 54 + 17) * s, fw.getFloat(o * 54 + 17), 1e-6);
                double b = (store.get("c.conv.bias").getFloat(o) - store.get("c.bn.running_mean").getFloat(o)) * s
                        + store.get("c.bn.bias").getFloat(o);
                assertEquals(b, fb.getFloat(o), 1e-6);
            }
        }
    }

    @Test
    void leavesTrainingAndSharedValuesAlone() {
        for (Variant v : List.of(Variant.CONV_OUT_TWICE, Variant.CONV_OUT_IS_OUTPUT, Variant.TRAINING)) {
            Graph g = convBn(v);
            try (ParameterStore store = PassTesting.randomStore(g, 24)) {
                assertEquals(g.describe(), new BatchNormFolding().apply(g, store).describe(), v.name());
                assertEquals(g.parameters().size(), store.names().size(), v.name());
            }
        }
    }

    @Test
    void aBatchNormUpdateFlowsIntoTheFoldedParametersOnRefresh() {
        Graph g = convBn(Variant.PLAIN);
        try (ParameterStore store = PassTesting.randomStore(g, 25)) {
            Graph f = new BatchNormFolding().apply(g, store);
            String fw = f.nodes().get(0).input(1).name();
            float before = store.get(fw).getFloat(0);
            Random rnd = new Random(26);
            store.update("c.bn.weight", PassTesting.random(rnd, Shape.of(9), 2, 3));
            store.update("c.bn.running_mean", PassTesting.random(rnd, Shape.of(9), -1, 1));
            store.update("c.conv.weight", PassTesting.random(rnd, Shape.of(9, 6, 3, 3), -1, 1));
            store.refreshDerived();
            assertNotEquals(before, store.get(fw).getFloat(0));
            double s = store.get("c.bn.weight").getFloat(0) / Math.sqrt(store.get("c.bn.running_var").getFloat(0) + 1e-3f);
            assertEquals(store.get("c.conv.weight").getFloat(0) * s, store.get(fw).getFloat(0), 1e-6);
            assertSameOutputs(g, f, store, PassTesting.randomInputs(g, 1, 27));
            // a second preparation reuses the derivations
            int size = store.names().size();
            Graph again = new BatchNormFolding().apply(g, store);
            assertEquals(size, store.names().size());
            assertEquals(f.describe(), again.describe());
        }
    }

    @Test
    void differentEpsilonsGiveDifferentDerivations() {
        assertNotEquals(Derived.name("w", "folded", List.of("w", "v", "g"), "eps=1.0E-5"),
                Derived.name("w", "folded", List.of("w", "v", "g"), "eps=0.001"));
        assertEquals(Derived.name("w", "folded", List.of("w", "v", "g"), "eps=1.0E-5"),
                Derived.name("w", "folded", List.of("w", "v", "g"), "eps=1.0E-5"));
        assertEquals(0, count(convBn(Variant.PLAIN), FusedConv2d.class));
    }
}
