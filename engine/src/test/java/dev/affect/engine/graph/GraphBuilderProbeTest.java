package dev.affect.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Type inference for ops that reject batch size 1 at build time but are valid for larger batches. */
class GraphBuilderProbeTest {

    @Test
    void trainingBatchNormOverOneValuePerSampleStillGetsASymbolicType() {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 5, 1, 1));
        Shape c = Shape.of(5);
        List<Value> out = g.addMulti(BatchNormTraining.defaults(), List.of("y", "rm", "rv", "bm", "bv"), x,
                g.parameter("m", c), g.parameter("v", c), g.parameter("w", c), g.parameter("b", c));
        assertEquals(TensorType.batched(DType.F32, 5, 1, 1), out.get(0).type());
        assertEquals(TensorType.f32(5), out.get(1).type());
        g.output("y", out.get(0));
        Graph graph = g.build();
        // At batch 1 the op's own check still applies when shapes are inferred for compiling.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> graph.inferShapes(graph.inputShapesAt(1)));
        assertTrue(e.getMessage().contains("more than one value per channel"), e.getMessage());
        assertEquals(Shape.of(2, 5, 1, 1), graph.inferShapes(graph.inputShapesAt(2)).get(out.get(0).id()));
    }

    @Test
    void anOpInvalidAtEveryBatchSizeReportsTheBatchOneError() {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 3, 8, 8));
        Value w = g.parameter("w", Shape.of(4, 2, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.add(Conv2d.of(1, 1, 1, false), "c", x, w));
        assertTrue(e.getMessage().contains("at c (") && e.getMessage().contains("input channels"), e.getMessage());
    }
}
