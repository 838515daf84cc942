package dev.affect.cli;

import dev.affect.client.JobInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code affect jobs cancel ID}: asks a job to stop. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a job: a pending one at once, a running one at its next step.")
final class JobsCancelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobsServer server;

    @Parameters(paramLabel = "ID", description = "The job's id (see jobs list).")
    String id;

    @Override
    public Integer call() throws Exception {
        return server.run("cancel", spec.commandLine().getErr(), client -> {
            JobInfo j = client.cancelJob(id);
            spec.commandLine().getOut().println(switch (j.state()) {
                case CANCELLED -> "job " + id + " cancelled";
                case RUNNING -> "job " + id + " stops at its next step (affect jobs watch " + id + ")";
                default -> "job " + id + " had already ended: " + j.state();
            });
            return 0;
        });
    }
}
