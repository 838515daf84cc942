package dev.affect.engine.backend.cpu;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.BackendProvider;
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

    @Override
    public Backend open(BackendOptions options) {
        return new CpuBackend(options);
    }
}
