package dev.affect.cli;

import dev.affect.client.ModelDescription;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code affect jobs promote ID}: serves a finished job's head in a pipeline. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Serve a succeeded job's head in a loaded pipeline: new streams use it, open ones keep theirs.")
final class JobsPromoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobsServer server;

    @Parameters(paramLabel = "ID", description = "A SUCCEEDED job's id.")
    String id;

    @Option(names = "--pipeline", defaultValue = "", description = "The pipeline (default: the server's default one).")
    String pipeline;

    @Override
    public Integer call() throws Exception {
        return server.run("promote", spec.commandLine().getErr(), client -> {
            ModelDescription p = client.promoteJob(id, pipeline);
            spec.commandLine().getOut().println("pipeline " + p.name() + " now serves job " + id + "'s head; tasks "
                    + new java.util.TreeSet<>(p.tasks()));
            return 0;
        });
    }
}
