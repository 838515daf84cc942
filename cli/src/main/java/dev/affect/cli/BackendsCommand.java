package dev.affect.cli;

import dev.affect.engine.backend.BackendProvider;
import dev.affect.engine.backend.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the backends, why any of them cannot run here, and what the available ones do here (e.g. bf16). */
@Command(name = "backends", mixinStandardHelpOptions = true, description = "List compute backends and their availability.")
final class BackendsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (BackendProvider p : Backends.providers()) {
            spec.commandLine().getOut().println(p.name() + ": " + p.unavailableReason().map(r -> "unavailable (" + r + ")").orElse("available"));
            for (String note : p.notes()) {
                spec.commandLine().getOut().println("  " + note);
            }
        }
        return 0;
    }
}
