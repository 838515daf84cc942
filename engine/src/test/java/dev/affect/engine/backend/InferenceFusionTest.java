package dev.affect.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InferenceFusionTest {
    private final Random rng = new Random(3);

    @Test
    void convBatchNormPreluAddBecomesOneConvolution() {
        GraphBuilder g = new GraphBuilder();
        Graph.Value x = g.input("x");
        Graph.Value c = g.add(Conv2d.of(OpCase.random(rng, Shape.of(8, 8, 3, 3)), null, 1, 1, 1), "c", x);
        Graph.Value bn = g.add(new BatchNorm(OpCase.random(rng, Shape.of(8)), OpCase.uniform(rng, Shape.of(8), 0.5f, 1.5f),
                OpCase.random(rng, Shape.of(8)), OpCase.random(rng, Shape.of(8)), 1e-5f), "bn", c);
        Graph.Value act = g.add(Activation.prelu(OpCase.uniform(rng, Shape.of(8), 0.1f, 0.3f)), "act", bn);
        Graph.Value sum = g.add(Binary.add(), "sum", act, x);
        g.output("y", sum);
        Graph fused = InferenceFusion.apply(g.build(), Map.of("x", Shape.of(1, 8, 5, 5)));
        assertEquals(1, fused.nodes().size());
        Conv2d conv = assertInstanceOf(Conv2d.class, fused.nodes().get(0).op());
        assertNotNull(conv.bias(), "BN shift becomes a bias");
        assertEquals(Activation.Kind.PRELU, conv.activation().kind());
        assertTrue(conv.residual());
        assertEquals(List.of("x", "x"), fused.nodes().get(0).inputs().stream().map(Graph.Value::name).toList());
    }

    @Test
    void namedOutputsAreNeverFusedAway() {
        GraphBuilder g = new GraphBuilder();
        Graph.Value x = g.input("x");
        Graph.Value c = g.add(Conv2d.of(OpCase.random(rng, Shape.of(4, 4, 1, 1)), null, 1, 0, 1), "c", x);
        Graph.Value act = g.add(Activation.relu(), "act", c);
        g.output("conv", c).output("act", act);
        Graph fused = InferenceFusion.apply(g.build(), Map.of("x", Shape.of(1, 4, 3, 3)));
        assertEquals(2, fused.nodes().size(), "the conv output is observed, so relu stays separate");
    }

    @Test
    void activationAfterResidualIsNotFused() {
        GraphBuilder g = new GraphBuilder();
        Graph.Value x = g.input("x");
        Graph.Value c = g.add(Conv2d.of(OpCase.random(rng, Shape.of(4, 4, 1, 1)), null, 1, 0, 1), "c", x);
        Graph.Value sum = g.add(Binary.add(), "sum", c, x);
        g.output("y", g.add(Activation.sigmoid(), "act", sum));
        Graph fused = InferenceFusion.apply(g.build(), Map.of("x", Shape.of(1, 4, 3, 3)));
        assertEquals(2, fused.nodes().size(), "sigmoid(conv + x) is not conv with sigmoid then + x");
    }
}
