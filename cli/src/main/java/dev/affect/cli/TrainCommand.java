package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.cache.BackboneHash;
import dev.affect.engine.data.cache.EmbeddingCache;
import dev.affect.engine.data.cache.EmbeddingProgress;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.CheckpointFormatException;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.training.data.WindowSpec;
import dev.affect.engine.training.run.BackboneTrainingRun;
import dev.affect.engine.training.run.EpochRecord;
import dev.affect.engine.training.run.GraphTrainableHead;
import dev.affect.engine.training.run.HeadKind;
import dev.affect.engine.training.run.HeadTrainingRun;
import dev.affect.engine.training.run.LrSchedule;
import dev.affect.engine.training.run.Metric;
import dev.affect.engine.training.run.OptimizerKind;
import dev.affect.engine.training.run.RunConfig;
import dev.affect.engine.training.run.RunData;
import dev.affect.engine.training.run.RunListener;
import dev.affect.engine.training.run.RunResult;
import dev.affect.engine.training.run.RunState;
import dev.affect.engine.training.run.StepProgress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a VA, EXPR or AU head (FC or LSTM) on frozen DDAMFN embeddings of an ABAW release: embeds
 * the training and validation splits through the cache where needed, trains with a progress line on
 * stderr, checkpoints every epoch into --out (resumable with --resume) and ends with the metrics per
 * epoch. The best epoch's head, loadable by the server, is {@code <out>/head.safetensors}. With
 * {@code --head backbone} it fine-tunes the whole DDAMFN on the EXPR frames instead; the best epoch's
 * network is {@code <out>/backbone.safetensors}, a checkpoint for serve, embed and head training.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an FC or LSTM head on cached DDAMFN embeddings of an ABAW release, or fine-tune DDAMFN.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "ABAW root: the task folders and cropped_aligned/.")
    Path data;

    @Option(names = "--task", required = true, description = "VA, EXPR or AU.")
    String task;

    @Option(names = "--head", defaultValue = "lstm",
            description = "fc, lstm, or backbone to fine-tune the whole DDAMFN on EXPR frames (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--checkpoint", description = "DDAMFN backbone weights: .pth/.pt or .safetensors (not with --demo).")
    Path checkpoint;

    @Option(names = "--demo", description = "Use the demo pipeline's generated backbone weights.")
    boolean demo;

    @Option(names = "--cache", description = "Embedding cache folder (see affect embed); heads only.")
    Path cache;

    @Option(names = "--out", required = true, description = "Run folder: checkpoints, state, head.safetensors.")
    Path out;

    @Option(names = "--epochs", description = "Epochs (default: " + RunConfig.DEFAULT_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--lr", description = "Learning rate (default: " + RunConfig.DEFAULT_LR + ").")
    Double lr;

    @Option(names = "--batch", description = "Windows per step (default: " + RunConfig.DEFAULT_BATCH + ").")
    Integer batch;

    @Option(names = "--window", description = "Frames per window (default: 10).")
    Integer window;

    @Option(names = "--stride", description = "Frames between window starts (default: the window; EXPR half of it).")
    Integer stride;

    @Option(names = "--seed", description = "Seed of the initial weights and the shuffling (default: 0).")
    Long seed;

    @Option(names = "--optimizer", description = "adam, adamw or sam (default: adam).")
    String optimizer;

    @Option(names = "--weight-decay", description = "Decoupled weight decay for adamw/sam (default: 0).")
    Double weightDecay;

    @Option(names = "--schedule", description = "constant, step or cosine (default: constant).")
    String schedule;

    @Option(names = "--metric", description = "Metric to keep the best checkpoints by (default: the task's challenge metric).")
    String metric;

    @Option(names = "--keep-best", description = "Best checkpoints to keep (default: " + RunConfig.DEFAULT_KEEP_BEST + ").")
    Integer keepBest;

    @Option(names = "--validation-split", description = "Validate on this fraction of the training videos (a video's"
            + " _left/_right subjects together, shuffled by --seed) instead of the release's validation split.")
    Double validationSplit;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint, with its stored settings.")
    boolean resume;

    @Option(names = "--train-backend", defaultValue = "auto",
            description = "Backend that trains (default: ${DEFAULT-VALUE}: cpu where oneDNN runs); --backend embeds.")
    String trainBackend;

    @Option(names = "--progress", description = "Draw the progress line on stderr even when it is not a terminal.")
    boolean progress;

    @Option(names = "--json", description = "Print the result as JSON instead of a table.")
    boolean json;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        if (demo == (checkpoint != null)) {
            throw new InvalidInputException("--checkpoint", "give either --checkpoint or --demo");
        }
        if (!Files.isDirectory(data)) {
            throw new InvalidInputException("--data", "not a folder: " + data);
        }
        RunConfig config = asOptions(() -> resume ? HeadTrainingRun.storedConfig(out) : config());
        if (config.head() != HeadKind.BACKBONE && cache == null) {
            throw new InvalidInputException("--cache", "an FC or LSTM head trains on cached embeddings: give --cache DIR");
        }
        backendChoice.check();
        PrintWriter err = spec.commandLine().getErr();
        boolean draw = progress || System.console() != null;
        AbawDataset dataset = AbawDataset.open(data);
        RunResult result = config.head() == HeadKind.BACKBONE ? fineTune(config, dataset, draw, err)
                : trainHead(config, dataset, draw, err);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(json(config, result));
        } else {
            stdout.print(table(config, result.state()));
        }
        if (result.status() == RunResult.Status.FAILED) {
            err.println("affect train: " + result.divergence().orElseThrow().message()
                    + "; the last good checkpoint is epoch " + result.state().completedEpochs());
            return 1;
        }
        stdout.println("best epoch " + result.state().best().getFirst() + " by " + config.metric().key() + ": "
                + result.bestWeights());
        return 0;
    }

    private RunResult fineTune(RunConfig config, AbawDataset dataset, boolean draw, PrintWriter err) throws Exception {
        StateDict start = demo ? DemoWeights.ddamfn() : readCheckpoint(checkpoint);
        FacePreprocessor faces = new FacePreprocessor(ImageDecoder.best());
        RunListener bar = draw ? new ProgressBar(err, "frames/s") : RunListener.NONE;
        try (Backend training = Backends.open(trainBackend)) {
            return asOptions(() -> resume
                    ? BackboneTrainingRun.resume(out, dataset, start, training, faces, bar, () -> false)
                    : BackboneTrainingRun.start(out, config, dataset, start, training, faces, bar, () -> false));
        }
    }

    private static StateDict readCheckpoint(Path file) throws java.io.IOException {
        try {
            return CheckpointFiles.read(file);
        } catch (CheckpointFormatException e) {
            throw new InvalidInputException("--checkpoint", file + ": " + e.detail(), e);
        }
    }

    private RunResult trainHead(RunConfig config, AbawDataset dataset, boolean draw, PrintWriter err) throws Exception {
        Ddamfn.Options options = Ddamfn.Options.serving();
        try (Backend backboneBackend = backendChoice.open();
             Ddamfn backbone = demo ? Ddamfn.create(DemoWeights.ddamfn(), backboneBackend, options)
                     : BackendChoice.load(checkpoint, backboneBackend, options);
             Backend training = Backends.open(trainBackend)) {
            EmbeddingCache embeddings = new EmbeddingCache(cache, BackboneHash.of(backbone.parameters()), backbone, dataset,
                    new FacePreprocessor(ImageDecoder.best()), EmbeddingCache.DEFAULT_BATCH);
            embed(embeddings, dataset, config, draw, err);
            RunData runData = asOptions(() -> RunData.open(dataset, embeddings, config));
            RunListener bar = draw ? new ProgressBar(err, "win/s") : RunListener.NONE;
            return asOptions(() -> resume
                    ? HeadTrainingRun.resume(out, runData, GraphTrainableHead.on(training), bar, () -> false)
                    : HeadTrainingRun.start(out, config, runData, GraphTrainableHead.on(training), bar, () -> false));
        }
    }

    private RunConfig config() {
        AbawTask t = RunConfig.parseTask(task);
        RunConfig c = RunConfig.defaults(t, HeadKind.parse(head));
        if (window != null || stride != null) {
            int length = window != null ? window : c.window().length();
            int step = stride != null ? stride : t == AbawTask.EXPR ? Math.max(1, length / 2) : length;
            c = c.withWindow(new WindowSpec(length, step));
        }
        c = c.withOptimizer(optimizer != null ? OptimizerKind.parse(optimizer) : c.optimizer(), lr != null ? lr : c.lr(),
                weightDecay != null ? weightDecay : c.weightDecay());
        if (schedule != null) {
            c = c.withSchedule(LrSchedule.parse(schedule));
        }
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (batch != null) {
            c = c.withBatch(batch);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (validationSplit != null) {
            c = c.withHoldout(validationSplit);
        }
        return c.withSelection(metric != null ? Metric.parse(metric) : c.metric(), keepBest != null ? keepBest : c.keepBest());
    }

    /** Names a config field as the option that sets it ({@code weight_decay} is {@code --weight-decay}). */
    static String option(String field) {
        String last = field.substring(field.lastIndexOf('.') + 1);
        return "--" + last.replace('_', '-');
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    /** Runs {@code a}, restating a configuration error under the option's name. */
    private static <T> T asOptions(Action<T> a) throws Exception {
        try {
            return a.run();
        } catch (InvalidInputException e) {
            throw e.field().startsWith("--") ? e : new InvalidInputException(option(e.field()), e.reason(), e);
        }
    }

    private static void embed(EmbeddingCache cache, AbawDataset dataset, RunConfig config, boolean draw, PrintWriter err)
            throws java.io.IOException {
        TreeSet<String> videos = new TreeSet<>(dataset.videos(config.task(), AbawSplit.TRAIN));
        videos.addAll(dataset.videos(config.task(), config.validation()));
        EmbeddingProgress bar = !draw ? EmbeddingProgress.NONE : (done, total, rate, eta) -> {
            err.print("\rembedding " + EmbedCommand.progressLine(done, total, rate, eta.toSeconds()));
            err.flush();
        };
        EmbeddingCache.Summary s = cache.embedAll(List.copyOf(videos), false, bar);
        if (draw && s.framesEmbedded() > 0) {
            err.println();
        }
        err.println("embeddings: " + s.line());
    }

    /** One line per epoch: the epoch, then the metrics in the run's order; '*' marks the best epoch. */
    static String table(RunConfig config, RunState state) {
        StringBuilder sb = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (Metric m : Metric.of(config.task())) {
            keys.add(m.key());
        }
        sb.append(String.format(Locale.ROOT, "%-6s", "epoch"));
        for (String k : keys) {
            sb.append(String.format(Locale.ROOT, " %15s", k));
        }
        sb.append('\n');
        int best = state.best().isEmpty() ? -1 : state.best().getFirst();
        for (EpochRecord r : state.history()) {
            sb.append(String.format(Locale.ROOT, "%-6s", r.epoch() + (r.epoch() == best ? "*" : "")));
            for (String k : keys) {
                Double v = r.metrics().get(k);
                sb.append(String.format(Locale.ROOT, " %15.4f", v == null ? Double.NaN : v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String json(RunConfig config, RunResult result) throws java.io.IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("status", result.status().name());
        root.put("task", config.task().name());
        root.put("head", config.head().label());
        root.put("metric", config.metric().key());
        RunState state = result.state();
        if (!state.best().isEmpty()) {
            root.put("best_epoch", state.best().getFirst());
            root.put(config.head() == HeadKind.BACKBONE ? "backbone_file" : "head_file", result.bestWeights().toString());
        }
        result.divergence().ifPresent(d -> {
            ObjectNode n = root.putObject("divergence");
            n.put("epoch", d.epoch());
            n.put("step", d.step());
            n.put("global_step", d.globalStep());
        });
        ArrayNode epochs = root.putArray("epochs");
        for (EpochRecord r : state.history()) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", r.epoch());
            e.put("steps", r.steps());
            r.metrics().forEach(e::put);
            if (r.auThresholds().length > 0) {
                ArrayNode t = e.putArray("au_thresholds");
                for (double x : r.auThresholds()) {
                    t.add(x);
                }
            }
        }
        return mapper.writeValueAsString(root);
    }

    /** {@code epoch 2/10 [#####.....] step 13/40  loss 0.4123  lr 1.0e-03  310 win/s  ETA 1:02}, then a line per epoch. */
    private static final class ProgressBar implements RunListener {
        private final PrintWriter err;
        private final String unit;

        ProgressBar(PrintWriter err, String unit) {
            this.err = err;
            this.unit = unit;
        }

        @Override
        public void step(StepProgress p) {
            err.print("\r" + line(p, unit));
            err.flush();
        }

        @Override
        public void epoch(EpochRecord r, RunState state) {
            StringBuilder sb = new StringBuilder();
            r.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
            err.println();
            err.println("epoch " + r.epoch() + ":" + sb);
        }
    }

    static String line(StepProgress p, String unit) {
        int width = 20;
        int filled = (int) Math.min(width, (long) p.step() * width / Math.max(1, p.stepsPerEpoch()));
        long eta = p.eta().toSeconds();
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] step %d/%d  loss %.4f  lr %.1e  %.1f %s  ETA %d:%02d",
                p.epoch(), p.epochs(), "#".repeat(filled), ".".repeat(width - filled), p.step(), p.stepsPerEpoch(),
                p.loss(), p.lr(), p.samplesPerSecond(), unit, eta / 60, eta % 60);
    }
}
