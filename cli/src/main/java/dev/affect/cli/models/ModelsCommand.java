package dev.affect.cli.models;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code affect models}: published checkpoints (list, pull). */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List and download published checkpoints.",
        subcommands = {ModelsListCommand.class, ModelsPullCommand.class})
public final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, which lists them. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say which: models list, or models pull NAME");
    }
}
