package dev.affect.engine.graph.passes;

import static dev.affect.engine.graph.passes.PassTesting.assertSameOutputs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class EpilogueFusionTest {

    private static final int C = 5;

    /** x -> conv(3x3, stride 1) [-> BatchNorm] -> tail, for the tails below. */
    static Graph graph(boolean bn, boolean convBias, BiFunction<GraphBuilder, Value[], Value> tail) {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, C, 6, 5));
        Value w = g.parameter("conv.weight", Shape.of(C, C, 3, 3));
        Value y = convBias ? g.add(Conv2d.of(1, 1, 1, true), "conv", x, w, g.parameter("conv.bias", Shape.of(C)))
                : g.add(Conv2d.of(1, 1, 1, false), "conv", x, w);
        if (bn) {
            y = g.add(new BatchNorm(1e-5f), "bn", y, g.parameter("bn.running_mean", Shape.of(C)),
                    g.parameter("bn.running_var", Shape.of(C)), g.parameter("bn.weight", Shape.of(C)),
                    g.parameter("bn.bias", Shape.of(C)));
        }
        g.output("y", tail.apply(g, new Value[] {x, y}));
        return g.build();
    }

    static Graph passed(Graph g, ParameterStore store) {
        return new EpilogueFusion().apply(new BatchNormFolding().apply(g, store), store);
    }

    static FusedConv2d single(Graph g) {
        assertEquals(1, g.nodes().size(), g.describe());
        return (FusedConv2d) g.nodes().get(0).op();
    }

    @Test
    void convBnPreluBecomesOneConvWithAPreluEpilogue() {
        Graph g = graph(true, false, (b, v) -> b.add(new PRelu(), "prelu", v[1], b.parameter("prelu.weight", Shape.of(C))));
        try (ParameterStore store = PassTesting.randomStore(g, 31)) {
            Graph p = passed(g, store);
            FusedConv2d f = single(p);
            assertTrue(f.isPrelu());
            assertEquals("prelu.weight", p.nodes().get(0).input(3).name());
            assertSameOutputs(g, p, store, PassTesting.randomInputs(g, 2, 32));
        }
    }

    @Test
    void everyFusableActivation() {
        for (Activation.Kind k : EpilogueFusion.FUSABLE) {
            Activation act = k == Activation.Kind.LEAKY_RELU ? Activation.leakyRelu(0.1f) : Activation.of(k);
            Graph g = graph(true, true, (b, v) -> b.add(act, "act", v[1]));
            try (ParameterStore store = PassTesting.randomStore(g, 33)) {
                Graph p = passed(g, store);
                FusedConv2d f = single(p);
                assertEquals(k.name(), f.activation());
                assertEquals(act.alpha(), f.alpha());
                assertSameOutputs(g, p, store, PassTesting.randomInputs(g, 2, 34));
            }
        }
    }

    @Test
    void aConvWithoutBatchNormBecomesFusedKeepingItsBiasOrWithAZeroBias() {
        for (boolean bias : new boolean[] {true, false}) {
            Graph g = graph(false, bias, (b, v) -> b.add(Activation.of(Activation.Kind.SIGMOID), "sig", v[1]));
            try (ParameterStore store = PassTesting.randomStore(g, 35)) {
                Graph p = passed(g, store);
                single(p);
                String b = p.nodes().get(0).input(2).name();
                assertTrue(bias ? b.equals("conv.bias") : b.startsWith("conv.weight#zero-bias@"), b);
                assertSameOutputs(g, p, store, PassTesting.randomInputs(g, 2, 36));
            }
        }
        Graph plain = graph(false, false, (b, v) -> v[1]);
        try (ParameterStore store = PassTesting.randomStore(plain, 37)) {
            assertEquals(plain.describe(), passed(plain, store).describe(), "nothing to fuse: stays canonical");
        }
    }

    @Test
    void residualAddOfAValueMadeBeforeTheConv() {
        for (int side = 0; side < 2; side++) {
            int s = side;
            Graph g = graph(true, false, (b, v) -> s == 0 ? b.add(Binary.add(), "add", v[1], v[0])
                    : b.add(Binary.add(), "add", v[0], v[1]));
            try (ParameterStore store = PassTesting.randomStore(g, 38)) {
                Graph p = passed(g, store);
                FusedConv2d f = single(p);
                assertTrue(f.residual());
                assertEquals(g.input("x"), p.nodes().get(0).input(f.residualInput()));
                assertSameOutputs(g, p, store, PassTesting.randomInputs(g, 2, 39));
            }
        }
    }

    @Test
    void activationThenResidual() {
        Graph g = graph(true, false, (b, v) -> b.add(Binary.add(), "add",
                b.add(new PRelu(), "prelu", v[1], b.parameter("prelu.weight", Shape.of(C))), v[0]));
        try (ParameterStore store = PassTesting.randomStore(g, 40)) {
            Graph p = passed(g, store);
            FusedConv2d f = single(p);
            assertTrue(f.isPrelu() && f.residual());
            assertEquals(5, p.nodes().get(0).inputs().size());
            assertSameOutputs(g, p, store, PassTesting.randomInputs(g, 2, 41));
        }
    }

    @Test
    void leavesAddsItCannotFuse() {
        List<BiFunction<GraphBuilder, Value[], Value>> tails = List.of(
                // the other operand is made after the conv
                (b, v) -> b.add(Binary.add(), "add", v[1], b.add(Activation.of(Activation.Kind.RELU), "late", v[0])),
                // broadcasting: the other operand is [C, 1, 1]
                (b, v) -> b.add(Binary.add(), "add", v[1], b.parameter("shift", Shape.of(C, 1, 1))),
                // the residual comes after the activation that cannot be fused (QUICK_GELU)
                (b, v) -> b.add(Activation.of(Activation.Kind.QUICK_GELU), "q", v[1]),
                // the conv output is read twice
                (b, v) -> b.add(Binary.add(), "add", v[1], v[1]));
        for (BiFunction<GraphBuilder, Value[], Value> tail : tails) {
            Graph g = graph(false, true, tail);
            try (ParameterStore store = PassTesting.randomStore(g, 42)) {
                Graph p = passed(g, store);
                assertEquals(g.describe(), p.describe());
            }
        }
    }

    @Test
    void neverFusesAwayAGraphOutput() {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, C, 6, 5));
        Value y = g.add(Conv2d.of(1, 1, 1, true), "conv", x, g.parameter("w", Shape.of(C, C, 3, 3)), g.parameter("b", Shape.of(C)));
        Value a = g.add(Activation.of(Activation.Kind.RELU), "relu", y);
        Value z = g.add(Conv2d.of(1, 0, 1, true), "conv2", a, g.parameter("w2", Shape.of(C, C, 1, 1)), g.parameter("b2", Shape.of(C)));
        Graph graph = g.output("conv", y).output("out", g.add(Binary.add(), "add", z, x)).build();
        try (ParameterStore store = PassTesting.randomStore(graph, 43)) {
            Graph p = InferencePasses.apply(graph, store);
            assertEquals(graph.outputs().keySet(), p.outputs().keySet());
            List<Node> fused = PassTesting.nodes(p, FusedConv2d.class);
            assertEquals(1, fused.size(), p.describe());
            assertTrue(((FusedConv2d) fused.get(0).op()).residual());
            assertFalse(PassTesting.nodes(p, Activation.class).isEmpty(), "relu still reads the output 'conv'");
            assertSameOutputs(graph, p, store, PassTesting.randomInputs(graph, 3, 44));
        }
    }
}
