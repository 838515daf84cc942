package dev.affect.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphTest {
    @Test
    void shapeErrorsNameTheNodeAndTheShapes() {
        GraphBuilder g = new GraphBuilder();
        Graph.Value x = g.input("x");
        g.output("y", g.add(Conv2d.of(OpCase.random(new Random(1), Shape.of(8, 3, 3, 3)), null, 1, 1, 1), "stem", x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.build().inferShapes(Map.of("x", Shape.of(1, 4, 8, 8))));
        assertTrue(e.getMessage().contains("stem") && e.getMessage().contains("3 input channels")
                && e.getMessage().contains("[1, 4, 8, 8]"), e.getMessage());
    }

    @Test
    void selectingOutputsDropsDeadNodes() {
        GraphBuilder g = new GraphBuilder();
        Graph.Value x = g.input("x");
        Graph.Value a = g.add(Activation.relu(), "a", x);
        Graph.Value b = g.add(Activation.sigmoid(), "b", a);
        g.output("a", a).output("b", b);
        Graph only = g.build().selectOutputs(List.of("a"));
        assertEquals(1, only.nodes().size());
        assertThrows(IllegalArgumentException.class, () -> g.build().selectOutputs(List.of("c")));
    }

    @Test
    void broadcastRules() {
        assertEquals(Shape.of(2, 3, 4, 5), Binary.broadcast(Shape.of(2, 3, 1, 5), Shape.of(2, 3, 4, 1)));
        assertThrows(IllegalArgumentException.class, () -> Binary.broadcast(Shape.of(2, 3), Shape.of(2, 4)));
    }
}
