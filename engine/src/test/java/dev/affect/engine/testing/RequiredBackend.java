package dev.affect.engine.testing;

import dev.affect.engine.backend.BackendProvider;
import dev.affect.engine.backend.Backends;
import org.junit.jupiter.api.Assumptions;

/** A named backend for a test, which is skipped with the backend's own reason where it cannot run. */
public final class RequiredBackend {
    private RequiredBackend() {
    }

    public static BackendProvider require(String name) {
        BackendProvider p = Backends.provider(name);
        Assumptions.assumeTrue(p.unavailableReason().isEmpty(),
                () -> name + " backend unavailable here: " + p.unavailableReason().orElse(""));
        return p;
    }
}
