package dev.affect.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every op of the SPI, on every backend that can run here, against the reference backend. */
class BackendConformanceTest {

    static Stream<Arguments> cases() {
        List<Arguments> args = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals("reference")) {
                continue;
            }
            for (OpCase c : OpCases.all()) {
                args.add(Arguments.of(p.name(), c));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void matchesReference(String backendName, OpCase c) {
        RequiredBackend.require(backendName);
        Random rng = new Random(c.name().hashCode());
        Map<String, Shape> shapes = new HashMap<>();
        Map<String, Tensor> inputs = new HashMap<>();
        for (int i = 0; i < c.inputShapes().size(); i++) {
            shapes.put("in" + i, c.inputShapes().get(i));
            inputs.put("in" + i, OpCase.random(rng, c.inputShapes().get(i)));
        }
        Tensor expected;
        try (Backend ref = Backends.open("reference"); Plan p = ref.compile(c.graph(), shapes)) {
            expected = p.run(inputs, List.of("out")).get("out");
        }
        try (Backend b = Backends.open(backendName); Plan p = b.compile(c.graph(), shapes)) {
            // twice: the second run checks that buffers and state are reusable
            p.run(inputs, List.of("out"));
            Tensor actual = p.run(inputs, List.of("out")).get("out");
            assertEquals(expected.shape(), actual.shape());
            double err = Tensors.relativeError(actual, expected);
            assertTrue(err <= c.tolerance(), () -> c.name() + ": relative error " + err + " > " + c.tolerance());
        }
    }

    @Test
    void catalogueCoversEveryOp() {
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        for (OpCase c : OpCases.all()) {
            c.graph().nodes().forEach(n -> seen.add(n.op().getClass()));
        }
        for (Class<?> op : Op.class.getPermittedSubclasses()) {
            assertTrue(seen.contains(op), "no conformance case for " + op.getSimpleName());
        }
    }
}
