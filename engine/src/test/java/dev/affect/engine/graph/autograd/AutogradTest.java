package dev.affect.engine.graph.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.CanonicalOp;
import dev.affect.engine.graph.GradientOp;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnMode;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The structure autograd builds; the numbers are checked per op against finite differences and fixtures. */
class AutogradTest {

    @Test
    void sumsTheGradientsOfAValueReadTwice() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", TensorType.batched(DType.F32, 4));
        Value w = b.parameter("w", Shape.of(3, 4));
        Value y = b.add(new Linear(false), "y", x, w);
        Value z = b.add(Binary.mul(), "z", y, y);
        b.output("z", z);
        TrainingGraphs t = Autograd.differentiate(b.build(), List.of("z"), List.of("w", "x"));

        Graph back = t.backward();
        assertEquals(Set.of("grad:w", "grad:x"), back.outputs().keySet());
        long adds = back.nodes().stream().filter(n -> n.op() instanceof Binary bin && bin.kind() == Binary.Kind.ADD).count();
        assertEquals(1, adds, back.describe()); // y feeds both operands of the product
        assertEquals(List.of("saved:y"), t.saved());
        assertEquals(List.of("x"), t.inputs());
        assertTrue(t.forward().outputs().containsKey("saved:y"));
        assertTrue(back.inputs().stream().anyMatch(v -> v.name().equals("grad:z")));
    }

    @Test
    void aParameterOffThePathGetsNoGradientAndIsRefused() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", TensorType.batched(DType.F32, 4));
        Value y = b.add(new Linear(false), "y", x, b.parameter("w", Shape.of(3, 4)));
        Value other = b.add(new Linear(false), "other", x, b.parameter("unused", Shape.of(2, 4)));
        b.output("y", y).output("other", other);
        Graph g = b.build();
        assertEquals(List.of("w"), Autograd.trainableParameters(g, List.of("y")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.differentiate(g, List.of("y"), List.of("w", "unused")));
        assertTrue(e.getMessage().contains("no gradient reaches 'unused'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Autograd.differentiate(g, List.of("y"), List.of("nope")));
    }

    @Test
    void doesNotDifferentiateWhatNeedsNoGradient() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", TensorType.batched(DType.F32, 4));
        Value frozen = b.add(new Linear(false), "frozen", x, b.parameter("w0", Shape.of(4, 4)));
        Value act = b.add(Activation.of(Activation.Kind.RELU), "act", frozen);
        Value y = b.add(new Linear(true), "y", act, b.parameter("w1", Shape.of(2, 4)), b.parameter("b1", Shape.of(2)));
        b.output("y", y);
        Graph back = Autograd.differentiate(b.build(), List.of("y"), List.of("w1", "b1")).backward();
        assertEquals(1, back.nodes().size(), back.describe()); // one linear backward; nothing for the frozen layer
    }

    @Test
    void differentiatesTheAuthorsTrainingGraphEndToEnd() {
        DdamfnConfig cfg = new DdamfnConfig(8, 2);
        Graph g = DdamfnNetwork.build(cfg, DdamfnMode.TRAINING);
        List<String> seeds = new ArrayList<>(List.of(DdamfnNetwork.LOGITS));
        for (int h = 0; h < cfg.numHead(); h++) {
            seeds.add(DdamfnNetwork.head(h));
        }
        List<String> trainable = Autograd.trainableParameters(g, seeds);
        assertFalse(trainable.stream().anyMatch(n -> n.endsWith("running_mean") || n.endsWith("running_var")));
        assertTrue(trainable.contains("features.0.conv.weight"));
        assertTrue(trainable.contains("fc.weight"));
        assertEquals(g.parameters().size(), trainable.size() + runningStatistics(g), "every weight trains");

        TrainingGraphs t = Autograd.differentiate(g, seeds, trainable);
        assertEquals(trainable.size(), t.backward().outputs().size());
        for (Node n : t.backward().nodes()) {
            boolean allowed = n.op() instanceof GradientOp || n.op() instanceof CanonicalOp;
            assertTrue(allowed, n.name());
        }
        // the backward must be evaluable at a concrete batch: every type resolves
        t.backward().inferShapes(t.backward().inputShapesAt(4));
    }

    private static int runningStatistics(Graph g) {
        return (int) g.parameters().stream().filter(p -> p.name().endsWith("running_mean") || p.name().endsWith("running_var"))
                .count();
    }
}
