package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.server.face.FaceService;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.jobs.HeadJobRunner;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.PipelineWarmup;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.repository.DemoPipeline;
import dev.affect.server.repository.ModelRepository;
import dev.affect.server.repository.PipelineLoader;
import dev.affect.server.schedule.SchedulerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves every pipeline of the model repository (or the demo pipeline when there is none), plus
 * single checkpoints given with {@code --model}, until the process is told to stop.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve affect.v1 (Stream, Predict, ModelService), the Open Inference Protocol, health and"
                + " reflection over gRPC, and Prometheus metrics over HTTP, until SIGTERM or Ctrl-C.",
                "Loads every models/<name>/pipeline.json; with no pipeline it serves a demo pipeline of generated"
                + " weights (outputs not meaningful)."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models-dir", defaultValue = "models",
            description = "The model repository: one folder per pipeline with a pipeline.json (default: ${DEFAULT-VALUE}).")
    Path modelsDir;

    @Option(names = "--model", paramLabel = "NAME=CHECKPOINT",
            description = "Also serve one checkpoint under NAME, its kind recognised from its keys: a DDAMFN backbone"
                    + " becomes a pipeline without heads, a head an Open Inference Protocol model. Repeatable.")
    List<String> models = new ArrayList<>();

    @Option(names = "--checkpoint", description = "Shorthand for --model <model-name>=<checkpoint>.")
    Path checkpoint;

    @Option(names = "--model-name", defaultValue = "ddamfn", description = "The name --checkpoint is served under (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--port", defaultValue = "50051", description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-port", defaultValue = "9464",
            description = "Prometheus /metrics port; -1 turns it off, 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--max-frames", defaultValue = "64", description = "Most frames in one Predict request (default: ${DEFAULT-VALUE}).")
    int maxFrames;

    @Option(names = "--queue", defaultValue = "1024",
            description = "Frames per pipeline that may wait for a batch before new ones are refused (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-delay-ms", defaultValue = "2",
            description = "How long the oldest waiting frame may wait for a batch to fill (default: ${DEFAULT-VALUE}).")
    int maxDelayMs;

    @Option(names = "--max-sessions", defaultValue = "256", description = "Streaming sessions held at once (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--idle-timeout", defaultValue = "60",
            description = "Seconds a session without frames is kept for a resume (default: ${DEFAULT-VALUE}).")
    int idleTimeoutSeconds;

    @Option(names = "--device-workers", defaultValue = "2",
            description = "Threads running batches per pipeline; unless --threads is given each gets cores/workers"
                    + " compute threads (default: ${DEFAULT-VALUE}).")
    int deviceWorkers;

    @Option(names = "--frames-in-flight", defaultValue = "4",
            description = "Frames of one stream read and not yet answered; the server reads no more until one is answered,"
                    + " so a faster client is slowed by gRPC flow control (default: ${DEFAULT-VALUE}).")
    int framesInFlight;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "A folder clients may name training data and backbone checkpoints in (TrainingService,"
                    + " EvaluationService); repeatable. Without one the server trains and evaluates on nothing.")
    List<Path> dataRoots = new ArrayList<>();

    @Option(names = "--jobs-dir", paramLabel = "DIR", defaultValue = "jobs",
            description = "Training jobs' folder: one folder per job (spec, state, checkpoints) and the embedding cache;"
                    + " jobs left running there resume at start (default: ${DEFAULT-VALUE}, beside models/).")
    Path jobsDir;

    @Option(names = "--max-upload-bytes", paramLabel = "BYTES", defaultValue = "2147483648",
            description = "The most bytes one upload of training frames (jobs start --upload) may write into the jobs"
                    + " folder; past it the upload is refused and deleted (default: ${DEFAULT-VALUE}, 2 GiB).")
    long maxUploadBytes;

    @Option(names = "--train-backend", defaultValue = HeadJobRunner.DEFAULT_TRAINING_BACKEND,
            description = "Backend training jobs run on (default: ${DEFAULT-VALUE}: cpu where oneDNN runs); --backend serves.")
    String trainBackend;

    @Option(names = "--buckets", defaultValue = "1,2,4,8,16,32",
            description = "Batch sizes compiled at start-up; a batch runs on the smallest that fits, the largest is the"
                    + " scheduler's max batch (default: ${DEFAULT-VALUE}).")
    String buckets;

    @Option(names = "--detector", paramLabel = "FILE",
            description = "RetinaFace (MobileNet-0.25) weights, .pth or .safetensors (the released mobilenet0.25_Final.pth):"
                    + " streams of whole camera frames then find, track and align the face. Without it frames are face crops.")
    Path detector;

    @Option(names = "--detector-threads", defaultValue = "2",
            description = "Threads (and detector instances) finding faces (default: ${DEFAULT-VALUE}).")
    int detectorThreads;

    @Option(names = "--max-faces", defaultValue = "8",
            description = "Faces of one frame an every-face stream follows at most, each with its own state; a session's"
                    + " max_faces may ask for fewer (default: ${DEFAULT-VALUE}).")
    int maxFaces;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = config();
        Map<String, Path> singles = singleCheckpoints();
        TrainingSetup training = training();
        int cores = Runtime.getRuntime().availableProcessors();
        Backend backend = backendChoice.open(Math.max(1, cores / config.scheduling().deviceWorkers()));
        PipelineRegistry registry = new PipelineRegistry();
        ModelRepository repository = new ModelRepository(modelsDir,
                new PipelineLoader(backend, Ddamfn.Options.serving().withBuckets(BackendChoice.buckets(buckets))));
        ServerMain server;
        FaceService faces = null;
        try {
            load(registry, repository, singles);
            faces = detector == null ? null : loadDetector(backend);
            server = ServerMain.create(config, registry, repository, training, faces);
        } catch (IOException | RuntimeException e) {
            if (faces != null) {
                faces.close();
            }
            registry.close();
            backend.close();
            throw e;
        }
        int bound;
        try {
            bound = server.start();
        } catch (IOException e) {
            server.close();
            backend.close();
            throw new IOException("cannot listen on " + bind + ":" + port + " or metrics port " + metricsPort + ": "
                    + UserErrors.oneLine(e), e);
        }
        server.closeOnSignals();
        report(registry, bound, server.metricsPort());
        server.awaitTermination();
        backend.close();
        return 0;
    }

    private void load(PipelineRegistry registry, ModelRepository repository, Map<String, Path> singles) throws IOException {
        repository.loadAll(registry);
        for (Map.Entry<String, Path> e : singles.entrySet()) {
            repository.loader().loadInto(registry, e.getKey(), e.getValue());
        }
        DemoPipeline.registerIfEmpty(registry, repository.loader());
        for (ServedPipeline p : registry.list()) {
            long ms = PipelineWarmup.run(p);
            System.getLogger(ServeCommand.class.getName()).log(System.Logger.Level.INFO,
                    "pipeline ''{0}'' warmed up in {1} ms", p.name(), ms);
        }
    }

    private void report(PipelineRegistry registry, int bound, int boundMetrics) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("affect serve: gRPC on " + bind + ":" + bound
                + (boundMetrics < 0 ? "" : ", metrics on http://" + bind + ":" + boundMetrics + "/metrics") + "; Ctrl-C to stop");
        for (ServedPipeline p : registry.list()) {
            out.println("  pipeline " + p.name() + (p.name().equals(registry.defaultName()) ? " (default)" : "") + ": tasks "
                    + p.tasks() + ", " + p.backbone().config().numClass() + "-class backbone on " + p.backendName()
                    + " - " + p.description());
        }
        if (detector != null) {
            out.println("  face detection: RetinaFace " + detector + " (" + detectorThreads + " threads, every-face streams"
                    + " follow up to " + maxFaces + " faces a frame)");
        }
        out.flush();
    }

    /** Data roots, jobs folder and the head trainer; a root that is not a folder is named by its option. */
    private TrainingSetup training() {
        for (Path root : dataRoots) {
            if (!java.nio.file.Files.isDirectory(root)) {
                throw new InvalidInputException("--data-root", "not a folder: " + root);
            }
        }
        HeadJobRunner runner = option("--train-backend", () -> HeadJobRunner.of(jobsDir, backendChoice::open, trainBackend));
        if (maxUploadBytes < 1) {
            throw new InvalidInputException("--max-upload-bytes", "must be positive, got " + maxUploadBytes);
        }
        return new TrainingSetup(dataRoots, jobsDir, runner,
                JobManager.Settings.defaults().withMaxUploadBytes(maxUploadBytes));
    }

    /** --model NAME=CHECKPOINT pairs (and --checkpoint), names checked, in the order given. */
    private Map<String, Path> singleCheckpoints() {
        Map<String, Path> singles = new LinkedHashMap<>();
        if (checkpoint != null) {
            singles.put(PipelineRegistry.checkName(modelName, "--model-name"), checkpoint);
        }
        for (String pair : models) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new InvalidInputException("--model", "expected NAME=CHECKPOINT, got '" + pair + "'");
            }
            String name = PipelineRegistry.checkName(pair.substring(0, eq), "--model");
            if (singles.put(name, Path.of(pair.substring(eq + 1))) != null) {
                throw new InvalidInputException("--model", "the name '" + name + "' is given twice");
            }
        }
        return singles;
    }

    /**
     * The server's configuration from the options. ServerConfig and SchedulerConfig refuse bad values
     * with IllegalArgumentException (an operator's error, not a client's); each is built here under
     * the option it came from, so the user gets one line naming that option.
     */
    private ServerConfig config() {
        int maxBatch = BackendChoice.buckets(buckets).largest();
        SchedulerConfig d = SchedulerConfig.defaults().withMaxBatch(maxBatch);
        SchedulerConfig withQueue = option("--queue", () -> d.withQueue(queue, d.queueBytes()));
        SchedulerConfig withDelay = option("--max-delay-ms", () -> withQueue.withMaxDelay(Duration.ofMillis(maxDelayMs)));
        SchedulerConfig scheduling = option("--device-workers", () -> withDelay.withDeviceWorkers(deviceWorkers));
        ServerConfig c = option("--port", () -> ServerConfig.defaults().withPort(port));
        ServerConfig withMetrics = option("--metrics-port", () -> c.withMetricsPort(metricsPort));
        ServerConfig withBind = option("--bind", () -> withMetrics.withBindAddress(bind));
        ServerConfig withFrames = option("--max-frames", () -> withBind.withMaxFramesPerRequest(maxFrames));
        ServerConfig withSessions = option("--max-sessions", () -> withFrames.withSessions(maxSessions,
                withFrames.idleTimeout(), withFrames.sessionCredit()));
        ServerConfig withIdle = option("--idle-timeout", () -> withSessions.withSessions(withSessions.maxSessions(),
                Duration.ofSeconds(idleTimeoutSeconds), withSessions.sessionCredit()));
        ServerConfig withCredit = option("--frames-in-flight", () -> withIdle.withSessions(withIdle.maxSessions(),
                withIdle.idleTimeout(), framesInFlight));
        ServerConfig withFaces = option("--max-faces", () -> withCredit.withMaxFaces(maxFaces));
        return withFaces.withScheduling(scheduling);
    }

    /** The --detector weights on the serving backend; any problem with the file is named by the option. */
    private FaceService loadDetector(Backend backend) {
        if (detectorThreads < 1) {
            throw new InvalidInputException("--detector-threads", "must be at least 1, got " + detectorThreads);
        }
        try {
            return FaceService.load(detector, backend, DetectionConfig.defaults(), detectorThreads);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("--detector", detector + ": " + UserErrors.oneLine(e), e);
        }
    }

    private static <T> T option(String option, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option, e.getMessage(), e);
        }
    }
}
