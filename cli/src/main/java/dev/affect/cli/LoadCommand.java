package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.cli.load.Durations;
import dev.affect.cli.load.FrameSource;
import dev.affect.cli.load.LoadOptions;
import dev.affect.cli.load.LoadReport;
import dev.affect.cli.load.LoadRunner;
import dev.affect.client.Task;
import dev.affect.engine.InvalidInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A load generator speaking ghz's flags and JSON, with per-frame latency added. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a running affect server with concurrent stream, predict or ModelStreamInfer calls.",
                "Flags and the JSON report follow ghz (durations in integer nanoseconds, histogram marks in seconds);",
                "frames, frameRps and frameLatencyDistribution (send to result) are added."})
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, description = "The server: host:port.")
    String target;

    @Option(names = "--call", defaultValue = "stream",
            description = "stream (AffectService.Stream), predict (AffectService.Predict) or infer "
                    + "(inference.GRPCInferenceService/ModelStreamInfer); default: ${DEFAULT-VALUE}.")
    String call;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "10", description = "Concurrent workers (calls in flight); default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = {"-n", "--total"}, defaultValue = "0", description = "Calls to make; 0 = until -z (200 when neither is given).")
    long total;

    @Option(names = {"-z", "--duration"}, defaultValue = "0", description = "How long to start calls, e.g. 30s, 2m; 0 = until -n.")
    String duration;

    @Option(names = "--rps", defaultValue = "0", description = "Rate limit of new calls per second over all workers; 0 = none.")
    double rps;

    @Option(names = "--connections", defaultValue = "1", description = "Channels, used round-robin; default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--stream-call-count", defaultValue = "30", description = "Frames per stream call; default: ${DEFAULT-VALUE}.")
    int streamCallCount;

    @Option(names = "--fps", defaultValue = "30", description = "Frames per second in each stream; 0 = as fast as flow control allows; default: ${DEFAULT-VALUE}.")
    double fps;

    @Option(names = "--frames", required = true,
            description = "A folder of .jpg/.jpeg/.png images, cycled (infer: also a normalised .npy [N,3,112,112]).")
    Path frames;

    @Option(names = "--pipeline", defaultValue = "", description = "The affect.v1 pipeline (stream, predict); the server's default when left out.")
    String pipeline;

    @Option(names = "--model", defaultValue = "", description = "The Open Inference Protocol model (infer).")
    String model;

    @Option(names = "--input-name", defaultValue = "input", description = "The OIP input tensor's name (infer); default: ${DEFAULT-VALUE}.")
    String inputName;

    @Option(names = "--tasks", split = ",", description = "Tasks wanted (stream, predict): va, expr, au; all when left out.")
    List<String> tasks;

    @Option(names = {"-t", "--timeout"}, defaultValue = "20s", description = "Each call's deadline (a stream call adds its frames' time at --fps); default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--grace", defaultValue = "5s", description = "How long calls in flight at the end may run before the run is cut; default: ${DEFAULT-VALUE}.")
    String grace;

    @Option(names = "--warmup", defaultValue = "0",
            description = "Run the same load this long first and measure nothing of it (this client is a JVM: its"
                    + " first seconds compile the gRPC path and would show as the server's tail), e.g. 5s; default: none.")
    String warmup;

    @Option(names = {"-O", "--format"}, defaultValue = "summary", description = "summary or json; default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() throws Exception {
        LoadOptions options = options();
        FrameSource images = null;
        List<float[]> tensors = null;
        if (options.call().equals("infer")) {
            tensors = FrameSource.tensors("--frames", frames);
        } else {
            images = FrameSource.folder("--frames", frames);
        }
        Duration warm = Durations.parse("--warmup", warmup);
        if (!warm.isZero()) {
            new LoadRunner(options.warmup(warm), images, tensors).run();
        }
        LoadReport report = new LoadRunner(options, images, tensors).run();
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report.json(options.echo())));
        } else {
            out.print(report.summary(null));
        }
        out.flush();
        return 0;
    }

    LoadOptions options() {
        if (target.isBlank()) {
            throw new InvalidInputException("--target", "empty; expected host:port");
        }
        try {
            dev.affect.client.AffectClient.forTarget(target).close();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--target", "'" + target + "': " + e.getMessage(), e);
        }
        if (!List.of("stream", "predict", "infer").contains(call)) {
            throw new InvalidInputException("--call", "'" + call + "'; expected stream, predict or infer");
        }
        if (call.equals("infer") && model.isBlank()) {
            throw new InvalidInputException("--model", "--call infer needs the OIP model's name");
        }
        if (concurrency < 1 || concurrency > 100_000) {
            throw new InvalidInputException("-c", "must be in 1..100000, got " + concurrency);
        }
        if (total < 0) {
            throw new InvalidInputException("-n", "must be >= 0, got " + total);
        }
        if (!(rps >= 0) || !(fps >= 0)) {
            throw new InvalidInputException(rps >= 0 ? "--fps" : "--rps", "must be >= 0");
        }
        if (connections < 1 || connections > 1000) {
            throw new InvalidInputException("--connections", "must be in 1..1000, got " + connections);
        }
        if (streamCallCount < 1) {
            throw new InvalidInputException("--stream-call-count", "must be >= 1, got " + streamCallCount);
        }
        if (!format.equals("summary") && !format.equals("json")) {
            throw new InvalidInputException("-O", "'" + format + "'; expected summary or json");
        }
        Duration z = Durations.parse("-z", duration);
        Duration t = Durations.parse("--timeout", timeout);
        if (t.isZero()) {
            throw new InvalidInputException("--timeout", "must be positive");
        }
        Set<Task> wanted = EnumSet.noneOf(Task.class);
        if (tasks != null) {
            for (String name : tasks) {
                try {
                    wanted.add(Task.parse(name));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--tasks", e.getMessage());
                }
            }
        }
        return new LoadOptions(target, call, concurrency, total, z, rps, Math.min(connections, concurrency),
                streamCallCount, fps, frames, pipeline, model, inputName, wanted, t, Durations.parse("--grace", grace),
                format);
    }
}
