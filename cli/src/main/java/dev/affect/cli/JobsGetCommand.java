package dev.affect.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code affect jobs get ID}: one job in detail. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one training job in detail.")
final class JobsGetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobsServer server;

    @Parameters(paramLabel = "ID", description = "The job's id (see jobs list).")
    String id;

    @Override
    public Integer call() throws Exception {
        return server.run("get", spec.commandLine().getErr(), client -> {
            spec.commandLine().getOut().print(JobText.details(client.getJob(id)));
            return 0;
        });
    }
}
