package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Precision;
import dev.affect.engine.testing.RequiredBackend;
import org.junit.jupiter.api.Test;

/** Opening and closing the cpu backend: close is idempotent and a closed backend compiles nothing. */
class CpuBackendLifecycleTest {

    @Test
    void closingTwiceDestroysOnce() {
        RequiredBackend.require("cpu");
        for (Precision precision : Precision.values()) {
            Backend backend = Backends.open("cpu", new BackendOptions(0, precision));
            backend.close();
            // a second dnnl_stream_destroy/dnnl_engine_destroy would be a double free
            assertDoesNotThrow(backend::close);
            assertDoesNotThrow(backend::close);
        }
    }

    @Test
    void closedBackendRefusesToPrepare() {
        RequiredBackend.require("cpu");
        Backend backend = Backends.open("cpu");
        backend.close();
        try (dev.affect.engine.graph.ParameterStore store = new dev.affect.engine.graph.ParameterStore()) {
            assertThrows(IllegalStateException.class, () -> backend.prepare(new dev.affect.engine.graph.GraphBuilder().build(), store));
        }
    }
}
