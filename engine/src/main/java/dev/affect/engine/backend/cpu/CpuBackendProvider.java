package dev.affect.engine.backend.cpu;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.BackendProvider;
import java.util.List;
import java.util.Optional;

public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            Dnnl.load();
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether {@code --precision bf16} really computes in bf16 here (see {@link Bf16Support}). */
    @Override
    public List<String> notes() {
        if (unavailableReason().isPresent()) {
            return List.of();
        }
        try {
            Bf16Support.Verdict v = Bf16Support.probe();
            return List.of("precision bf16: " + (v.used() ? "available" : "not available, computes f32") + " (" + v.reason() + ")");
        } catch (RuntimeException e) {
            return List.of("precision bf16: unknown, the probe failed (" + e.getMessage() + ")");
        }
    }

    @Override
    public Backend open(BackendOptions options) {
        return new CpuBackend(options);
    }
}
