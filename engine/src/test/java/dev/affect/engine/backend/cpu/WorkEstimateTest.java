package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How much work an executable does decides its threads: small ones skip OpenMP's fork/join. */
class WorkEstimateTest {

    private static Graph conv(int channels) {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, channels, 28, 28));
        g.output("y", g.add(Conv2d.of(1, 1, 1, false), "conv", x, g.parameter("w", Shape.of(channels, channels, 3, 3))));
        return g.build();
    }

    @Test
    void countsMultiplyAddsOfConvolutionsLinearsAndLstms() {
        Graph c = conv(8);
        assertEquals(2L * 8 * 28 * 28 * 8 * 9, WorkEstimate.flops(c, c.inferShapes(Map.of("x", Shape.of(1, 8, 28, 28)))));
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 5, 16));
        List<Value> lstm = g.addMulti(new Lstm(), List.of("y", "h", "c"), x, g.state("h0", TensorType.batched(DType.F32, 4)),
                g.state("c0", TensorType.batched(DType.F32, 4)), g.parameter("wih", Shape.of(16, 16)),
                g.parameter("whh", Shape.of(16, 4)), g.parameter("bih", Shape.of(16)), g.parameter("bhh", Shape.of(16)));
        g.output("out", g.add(new Linear(false), "fc", lstm.get(0), g.parameter("w", Shape.of(3, 4))));
        Graph h = g.build();
        long expected = 2L * 2 * 5 * 16 * (16 + 4) + 2L * (2 * 5 * 3) * 4;
        assertEquals(expected, WorkEstimate.flops(h, h.inferShapes(Map.of("x", Shape.of(2, 5, 16), "h0", Shape.of(2, 4),
                "c0", Shape.of(2, 4)))));
    }

    @Test
    void smallExecutablesRunOnOneThreadLargeOnesOnTheBackends() {
        RequiredBackend.require("cpu");
        try (var backend = Backends.open("cpu", new BackendOptions(2));
             ParameterStore store = new ParameterStore()) {
            store.put("w", Tensor.zeros(Shape.of(64, 64, 3, 3)));
            try (PreparedModel m = backend.prepare(conv(64), store);
                 Executable large = m.compile(Map.of("x", Shape.of(16, 64, 28, 28)))) { // 925 MFLOP
                assertTrue(large.describe().contains(", 2 threads\n"), large.describe());
            }
            store.put("w8", Tensor.zeros(Shape.of(8, 8, 3, 3)));
            GraphBuilder g = new GraphBuilder();
            Value x = g.input("x", TensorType.batched(DType.F32, 8, 28, 28));
            g.output("y", g.add(Conv2d.of(1, 1, 1, false), "conv", x, g.parameter("w8", Shape.of(8, 8, 3, 3))));
            try (PreparedModel m = backend.prepare(g.build(), store);
                 Executable tiny = m.compile(Map.of("x", Shape.of(1, 8, 28, 28)))) { // 0.9 MFLOP
                assertTrue(tiny.describe().contains(", 1 thread\n"), tiny.describe());
            }
        }
    }
}
