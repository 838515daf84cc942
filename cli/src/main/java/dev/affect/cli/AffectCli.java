package dev.affect.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one launcher: {@code affect <command>}. */
@Command(name = "affect", mixinStandardHelpOptions = true, versionProvider = AffectCli.Version.class,
        description = "Facial affect in video: DDAMFN and temporal heads on oneDNN, served over gRPC.",
        subcommands = {InferCommand.class, DetectCommand.class, BenchCommand.class, BackendsCommand.class, ServeCommand.class,
                PredictCommand.class, StreamCommand.class, LoadCommand.class, dev.affect.cli.models.ModelsCommand.class,
                CurateCommand.class, SynthCommand.class, ScoreCommand.class, SubmitCommand.class, EvaluateCommand.class,
                ReportCommand.class, EmbedCommand.class, TrainCommand.class, JobsCommand.class,
                CommandLine.HelpCommand.class})
public final class AffectCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 internal error, 2 bad input). */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, printing to the given writers (tests capture them). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new AffectCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new UserErrors());
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AffectCli.class.getPackage().getImplementationVersion();
            return new String[] {"affect " + (v == null ? "development build" : v)};
        }
    }
}
