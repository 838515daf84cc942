package dev.affect.cli;

import dev.affect.client.JobInfo;
import dev.affect.client.JobUpdate;
import dev.affect.proto.v1.JobEvent;
import dev.affect.proto.v1.JobState;
import dev.affect.proto.v1.Metric;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code affect jobs watch ID}: follows a job to its end with a progress bar on stderr, then prints
 * the validation metrics of every epoch seen (the job's latest when it had already ended). Exit 0
 * when the job succeeded, 1 when it failed or was cancelled.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a training job to its end (progress bar on stderr), then print its metrics per epoch.")
final class JobsWatchCommand implements Callable<Integer> {
    /** The exit code when the job ended FAILED or CANCELLED. */
    static final int NOT_SUCCEEDED = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    JobsServer server;

    @Parameters(paramLabel = "ID", description = "The job's id (see jobs list).")
    String id;

    @Option(names = "--progress", description = "Draw the progress bar even when stderr is not a terminal.")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean draw = progress || System.console() != null;
        Map<Integer, List<Metric>> epochs = new TreeMap<>();
        return server.run("watch", err, client -> {
            long[] stepsPerEpoch = {0};
            JobInfo end = client.watchJob(id, u -> {
                if (u.kind() == JobEvent.Kind.EPOCH) {
                    epochs.put(u.job().epoch(), u.job().proto().getValidationMetricsList());
                    stepsPerEpoch[0] = u.job().step() / Math.max(1, u.job().epoch());
                }
                if (draw) {
                    err.print("\r" + JobText.progress(u.job(), stepsPerEpoch[0]));
                    err.flush();
                }
            });
            if (draw) {
                err.println();
            }
            if (epochs.isEmpty() && end.epoch() > 0) {
                epochs.put(end.epoch(), end.proto().getValidationMetricsList());
            }
            if (!epochs.isEmpty()) {
                out.print(JobText.table(epochs));
            }
            out.println("job " + id + " " + end.state() + (end.error().isEmpty() ? "" : ": " + end.error())
                    + (end.headCheckpoint().isEmpty() ? "" : "; head " + end.headCheckpoint()));
            return end.state() == JobState.SUCCEEDED ? 0 : NOT_SUCCEEDED;
        });
    }
}
