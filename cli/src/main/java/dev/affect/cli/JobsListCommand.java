package dev.affect.cli;

import dev.affect.client.JobInfo;
import dev.affect.engine.InvalidInputException;
import dev.affect.proto.v1.JobState;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code affect jobs list}: the server's jobs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the server's training jobs, newest first.")
final class JobsListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobsServer server;

    @Option(names = "--state", description = "Only jobs in this state: pending, running, succeeded, failed or cancelled.")
    String state;

    @Override
    public Integer call() throws Exception {
        JobState filter = state == null ? null : parse(state);
        PrintWriter out = spec.commandLine().getOut();
        return server.run("list", spec.commandLine().getErr(), client -> {
            List<JobInfo> jobs = client.listJobs(filter);
            if (jobs.isEmpty()) {
                out.println("no jobs" + (filter == null ? "" : " " + filter));
                return 0;
            }
            out.println(JobText.heading());
            jobs.forEach(j -> out.println(JobText.line(j)));
            return 0;
        });
    }

    static JobState parse(String s) {
        List<JobState> states = List.of(JobState.PENDING, JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED,
                JobState.CANCELLED);
        return states.stream().filter(x -> x.name().equalsIgnoreCase(s.strip())).findFirst()
                .orElseThrow(() -> new InvalidInputException("--state", "must be one of "
                        + states.stream().map(x -> x.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + s + "'"));
    }
}
