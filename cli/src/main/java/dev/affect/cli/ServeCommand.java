package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.SchedulerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Loads a DDAMFN checkpoint and serves it over gRPC until the process is told to stop. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve DDAMFN over gRPC (affect.v1, health, reflection) until SIGTERM or Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "DDAMFN weights: .pth/.pt (torch.save) or .safetensors.")
    Path checkpoint;

    @Option(names = "--port", defaultValue = "50051", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--model-name", defaultValue = "ddamfn", description = "The name clients select the model by (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--max-frames", defaultValue = "64", description = "Most frames in one request (default: ${DEFAULT-VALUE}).")
    int maxFrames;

    @Option(names = "--queue", defaultValue = "1024", description = "Frames per pipeline that may wait for a batch before new ones are refused (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--buckets", defaultValue = "1,2,4,8,16,32",
            description = "Batch sizes compiled at start-up; a batch runs on the smallest that fits (default: ${DEFAULT-VALUE}).")
    String buckets;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        PipelineRegistry.checkName(modelName, "--model-name");
        ServerConfig config = config();
        PipelineRegistry models = load();
        ServerMain server = ServerMain.create(config, models);
        int bound;
        try {
            bound = server.start();
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on port " + port + ": " + UserErrors.oneLine(e), e);
        }
        server.installShutdownHook();
        PrintWriter out = spec.commandLine().getOut();
        var model = models.resolve(modelName);
        out.println("affect serve: listening on port " + bound + " (model " + modelName + ", " + model.backbone().config().numClass()
                + " classes, backend " + model.backendName() + "); Ctrl-C to stop");
        out.flush();
        server.awaitTermination();
        return 0;
    }

    /**
     * The server's configuration from the options. ServerConfig and PredictionLimits refuse bad values
     * with IllegalArgumentException (an operator's error, not a client's); each is built here under
     * the option it came from, so the user gets one line naming that option.
     */
    private ServerConfig config() {
        int maxBatch = BackendChoice.buckets(buckets).largest();
        SchedulerConfig d = SchedulerConfig.defaults();
        SchedulerConfig scheduling = option("--queue", () -> d.withMaxBatch(maxBatch).withQueue(queue, d.queueBytes()));
        ServerConfig base = option("--port", () -> ServerConfig.defaults().withPort(port));
        return option("--max-frames", () -> base.withMaxFramesPerRequest(maxFrames)).withScheduling(scheduling);
    }

    private static <T> T option(String option, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option, e.getMessage(), e);
        }
    }

    private PipelineRegistry load() throws IOException {
        Backend backend = backendChoice.open();
        PipelineRegistry models = new PipelineRegistry();
        try {
            models.register(new ServedPipeline(modelName, BackendChoice.load(checkpoint, backend,
                    Ddamfn.Options.serving().withBuckets(BackendChoice.buckets(buckets))), java.util.Map.of(),
                    "checkpoint " + checkpoint, false));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        return models;
    }
}
