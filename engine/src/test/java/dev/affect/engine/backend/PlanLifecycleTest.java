package dev.affect.engine.backend;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.testing.RequiredBackend;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Closed plans refuse work instead of touching freed native memory; closing twice is harmless. */
class PlanLifecycleTest {

    static Stream<String> backends() {
        return Backends.providers().stream().map(BackendProvider::name);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void executeAfterCloseFails(String name) {
        BackendProvider p = RequiredBackend.require(name);
        GraphBuilder g = new GraphBuilder();
        g.output("y", g.add(Activation.relu(), "relu", g.input("x")));
        try (Backend b = p.open(BackendOptions.defaults())) {
            Plan plan = b.compile(g.build(), Map.of("x", Shape.of(1, 4, 3, 3)));
            plan.execute();
            plan.close();
            assertThrows(IllegalStateException.class, plan::execute);
            assertDoesNotThrow(plan::close);
            assertThrows(IllegalArgumentException.class, () -> b.compile(g.build(), Map.of()).close(),
                    "a missing input shape is refused at compile time");
        }
    }
}
