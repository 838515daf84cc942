package dev.affect.cli;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import picocli.CommandLine.Option;

/** The --backend and --threads options every compute command shares. */
final class BackendChoice {
    @Option(names = "--backend", defaultValue = "auto", description = "cpu, reference or auto (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--threads", defaultValue = "0", description = "Compute threads; 0 = all cores.")
    int threads;

    Backend open() {
        return Backends.open(name, new BackendOptions(threads));
    }
}
