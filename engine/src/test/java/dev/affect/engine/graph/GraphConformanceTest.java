package dev.affect.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendProvider;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every op of the graph IR, on every backend that can run here, against the reference backend. */
class GraphConformanceTest {

    static Stream<Arguments> cases() {
        List<Arguments> args = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals("reference")) {
                continue;
            }
            for (GraphOpCase c : GraphOpCases.all()) {
                args.add(Arguments.of(p.name(), c));
            }
        }
        return args.stream();
    }

    static Map<String, Tensor> run(Backend backend, GraphOpCase c, int times) {
        try (ParameterStore store = c.newStore();
             PreparedModel model = backend.prepare(c.graph(), store);
             Executable exe = model.compile(c.inputShapes());
             ExecutionContext ctx = exe.newContext()) {
            Map<String, Tensor> out = null;
            for (int i = 0; i < times; i++) {
                out = ctx.run(c.inputs());
            }
            return out;
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void matchesReference(String backendName, GraphOpCase c) {
        RequiredBackend.require(backendName);
        Map<String, Tensor> expected;
        try (Backend ref = Backends.open("reference")) {
            expected = run(ref, c, 1);
        }
        try (Backend b = Backends.open(backendName)) {
            // twice: the second run checks that buffers and state are reusable
            Map<String, Tensor> actual = run(b, c, 2);
            for (String name : expected.keySet()) {
                assertEquals(expected.get(name).shape(), actual.get(name).shape(), name);
                double err = Tensors.relativeError(actual.get(name), expected.get(name));
                assertTrue(err <= c.tolerance(), () -> c.name() + " " + name + ": relative error " + err + " > " + c.tolerance());
            }
        }
    }

    @Test
    void catalogueCoversEveryOp() {
        Set<Class<?>> seen = new HashSet<>();
        for (GraphOpCase c : GraphOpCases.all()) {
            c.graph().nodes().forEach(n -> seen.add(n.op().getClass()));
        }
        List<Class<?>> all = new ArrayList<>(List.of(CanonicalOp.class.getPermittedSubclasses()));
        all.addAll(List.of(FusedOp.class.getPermittedSubclasses()));
        all.addAll(List.of(GradientOp.class.getPermittedSubclasses()));
        for (Class<?> op : all) {
            assertTrue(seen.contains(op), "no conformance case for " + op.getSimpleName());
        }
    }

    @Test
    void referenceRunsEveryCase() {
        try (Backend ref = Backends.open("reference")) {
            for (GraphOpCase c : GraphOpCases.all()) {
                Map<String, Tensor> out = run(ref, c, 1);
                for (Map.Entry<String, Tensor> e : out.entrySet()) {
                    for (float v : e.getValue().toFloatArray()) {
                        assertTrue(Float.isFinite(v), c.name() + " " + e.getKey() + " is not finite");
                    }
                }
            }
        }
    }
}
