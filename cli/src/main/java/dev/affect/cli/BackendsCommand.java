package dev.affect.cli;

import dev.affect.engine.backend.BackendProvider;
import dev.affect.engine.backend.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the backends and why any of them cannot run here. */
@Command(name = "backends", mixinStandardHelpOptions = true, description = "List compute backends and their availability.")
final class BackendsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (BackendProvider p : Backends.providers()) {
            spec.commandLine().getOut().println(p.name() + ": " + p.unavailableReason().map(r -> "unavailable (" + r + ")").orElse("available"));
        }
        return 0;
    }
}
