package dev.affect.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code affect jobs}: a server's training jobs (start, list, get, watch, cancel, promote). */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Start, inspect and steer a server's training jobs.",
        subcommands = {JobsStartCommand.class, JobsListCommand.class, JobsGetCommand.class, JobsWatchCommand.class,
                JobsCancelCommand.class, JobsPromoteCommand.class})
final class JobsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, which lists them. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say which: jobs start, list, get, watch, cancel or promote");
    }
}
