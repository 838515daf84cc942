package dev.affect.cli;

import dev.affect.client.JobInfo;
import dev.affect.engine.InvalidInputException;
import dev.affect.proto.v1.HeadKind;
import dev.affect.proto.v1.HyperParameters;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.Task;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code affect jobs start}: queues a training job on a server, on a data root there
 * ({@code --data-root}) or on a local ABAW root whose train and validation frames are uploaded
 * ({@code --upload}). Prints the job's id; {@code affect jobs watch ID} follows it.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start a training job on a server: on a data root there (--data-root) or on a local ABAW root"
                + " uploaded frame by frame (--upload). Prints the job's id.")
final class JobsStartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobsServer server;

    @Option(names = "--task", required = true, description = "VA, EXPR or AU.")
    String task;

    @Option(names = "--head", defaultValue = "fc",
            description = "fc, lstm, or backbone (a full fine-tune) (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--backbone", required = true, paramLabel = "PATH",
            description = "The DDAMFN checkpoint on the server, inside one of its data roots.")
    String backbone;

    @Option(names = "--data-root", paramLabel = "DIR", description = "An ABAW root on the server, inside its data roots.")
    String dataRoot;

    @Option(names = "--upload", paramLabel = "DIR",
            description = "A local ABAW root: its train and validation frames are sent to the server, which keeps them"
                    + " with the job.")
    Path upload;

    @Option(names = "--epochs", description = "Epochs (default: the server's, 10).")
    Integer epochs;

    @Option(names = "--lr", description = "Learning rate (default: the server's for the head).")
    Double lr;

    @Option(names = "--batch", description = "Windows per step (default: the server's, 32).")
    Integer batch;

    @Option(names = "--window", description = "Frames per window (default: the server's, 10).")
    Integer window;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initial weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--name", defaultValue = "", description = "A label for people (jobs list shows it).")
    String name;

    @Override
    public Integer call() throws Exception {
        if ((dataRoot == null) == (upload == null)) {
            throw new InvalidInputException("--upload", "give either --upload DIR (a local ABAW root) or --data-root DIR"
                    + " (one on the server)");
        }
        if (upload != null && !Files.isDirectory(upload)) {
            throw new InvalidInputException("--upload", "not a folder: " + upload);
        }
        JobSpec jobSpec = jobSpec();
        AbawUploadFrames frames = upload == null ? null : uploadFrames();
        PrintWriter out = spec.commandLine().getOut();
        return server.run("start", spec.commandLine().getErr(), client -> {
            JobInfo job;
            if (frames == null) {
                job = client.startJob(jobSpec);
            } else {
                int videos = frames.videos();
                job = client.startJob(jobSpec, frames);
                out.println("uploaded " + frames.sent() + " frames of " + videos + " videos from " + upload);
            }
            out.println("job " + job.id() + " " + job.state() + "; follow it with: affect jobs watch " + job.id());
            return 0;
        });
    }

    private AbawUploadFrames uploadFrames() {
        try {
            return AbawUploadFrames.of(upload);
        } catch (java.io.IOException e) {
            throw new InvalidInputException("--upload", upload + ": " + e.getMessage(), e);
        }
    }

    private JobSpec jobSpec() {
        Task t = switch (task.strip().toUpperCase(Locale.ROOT)) {
            case "VA" -> Task.TASK_VA;
            case "EXPR" -> Task.TASK_EXPR;
            case "AU" -> Task.TASK_AU;
            default -> throw new InvalidInputException("--task", "must be VA, EXPR or AU, got '" + task + "'");
        };
        HeadKind h = switch (head.strip().toLowerCase(Locale.ROOT)) {
            case "fc" -> HeadKind.HEAD_FC;
            case "lstm" -> HeadKind.HEAD_LSTM;
            case "backbone" -> HeadKind.FULL_FINE_TUNE;
            default -> throw new InvalidInputException("--head", "must be fc, lstm or backbone, got '" + head + "'");
        };
        HyperParameters.Builder hyper = HyperParameters.newBuilder().setSeed(seed);
        if (epochs != null) {
            hyper.setEpochs(epochs);
        }
        if (lr != null) {
            hyper.setLearningRate(lr);
        }
        if (batch != null) {
            hyper.setBatchSize(batch);
        }
        if (window != null) {
            hyper.setWindow(window);
        }
        JobSpec.Builder s = JobSpec.newBuilder().setTask(t).setHead(h).setBackbone(backbone).setHyper(hyper)
                .setDisplayName(name);
        if (dataRoot != null) {
            s.setDataRoot(dataRoot);
        }
        return s.build();
    }
}
