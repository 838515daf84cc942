package dev.affect.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.evaluation.DatasetEvaluator;
import dev.affect.engine.evaluation.SequencePredictor;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.AtomicFiles;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a pipeline over every video of an ABAW split (each video one sequence, its frames in order),
 * writes per-video prediction files in the annotation format under {@code --out/<task folder>/}, and
 * scores them against the annotations exactly as {@code affect score} does (it runs that command's
 * code on the written files). The scores also go to {@code --out/metrics.json}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Predict every video of an ABAW split with DDAMFN and temporal heads, write the predictions "
                + "in the annotation format and score them (CCC/P_VA, macro F1, AU F1).")
final class EvaluateCommand implements Callable<Integer> {
    /** Frames per backbone pass; the head state is carried between passes. */
    static final int CHUNK = 64;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "ABAW root: the task folders and cropped_aligned/.")
    Path data;

    @Option(names = "--split", defaultValue = "validation", description = "validation or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--checkpoint", description = "DDAMFN weights: .pth/.pt or .safetensors (not with --demo).")
    Path checkpoint;

    @Option(names = "--head", description = "A VA, EXPR or AU head (FC or LSTM, .pth or .safetensors); repeat, one per task.")
    List<Path> heads = new ArrayList<>();

    @Option(names = "--out", required = true, description = "Folder for <task folder>/<video>.txt predictions and metrics.json.")
    Path out;

    @Option(names = "--demo", description = "Use the demo pipeline's generated weights (all three heads; meaningless scores).")
    boolean demo;

    @Option(names = "--json", description = "Print the scores as JSON instead of a table.")
    boolean json;

    @Option(names = "--no-report", description = "Skip report.html, report.json and plots/ (written next to metrics.json by default).")
    boolean noReport;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        AbawSplit abawSplit = split();
        if (demo && (checkpoint != null || !heads.isEmpty())) {
            throw new InvalidInputException("--demo", "uses generated weights; give no --checkpoint or --head with it");
        }
        if (!demo && checkpoint == null) {
            throw new InvalidInputException("--checkpoint", "required unless --demo");
        }
        if (!demo && heads.isEmpty()) {
            throw new InvalidInputException("--head", "give at least one VA, EXPR or AU head (or --demo)");
        }
        if (!Files.isDirectory(data)) {
            throw new InvalidInputException("--data", "not a folder: " + data);
        }
        backendChoice.check();
        AbawDataset dataset = AbawDataset.open(data);
        Ddamfn.Options options = Ddamfn.Options.serving().withBuckets(InferCommand.bucketsUpTo(CHUNK));
        List<Head> loaded = new ArrayList<>();
        try (Backend backend = backendChoice.open();
             Ddamfn model = demo ? Ddamfn.create(DemoWeights.ddamfn(), backend, options)
                     : BackendChoice.load(checkpoint, backend, options)) {
            try {
                if (demo) {
                    for (Task t : Task.values()) {
                        loaded.add(Head.load(DemoWeights.lstmHead(t), backend));
                    }
                } else {
                    for (Path h : heads) {
                        if (!Files.isRegularFile(h)) {
                            throw new InvalidInputException("--head", "no such file: " + h);
                        }
                        loaded.add(Head.load(h, backend));
                    }
                }
                Map<Task, Head> byTask = byTask(loaded);
                SequencePredictor predictor = new SequencePredictor(Pipeline.of(model, List.copyOf(byTask.values())),
                        new FacePreprocessor(ImageDecoder.best()), CHUNK);
                DatasetEvaluator evaluator = new DatasetEvaluator(predictor);
                Map<Task, List<String>> videos = asOption(() -> evaluator.videos(dataset, abawSplit, byTask.keySet()));
                evaluator.evaluate(dataset, abawSplit, videos, this::write, () -> false);
                score(dataset, abawSplit, videos.keySet());
                if (!noReport) {
                    ReportFiles.afterEvaluation(out, videos.containsKey(Task.VA)
                            ? Optional.of(dataset.annotationFolder(AbawTask.VA, abawSplit)) : Optional.empty());
                }
            } finally {
                loaded.forEach(Head::close);
            }
        }
        return 0;
    }

    private AbawSplit split() {
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "validation" -> AbawSplit.VALIDATION;
            case "train" -> AbawSplit.TRAIN;
            default -> throw new InvalidInputException("--split", "must be validation or train, got '" + split + "'");
        };
    }

    /** One head per task; a raw head (no VA, EXPR or AU key) or a second head for a task is an error. */
    private static Map<Task, Head> byTask(List<Head> loaded) {
        Map<Task, Head> byTask = new EnumMap<>(Task.class);
        for (Head h : loaded) {
            Task t = h.task().orElseThrow(() -> new InvalidInputException("--head",
                    "head '" + h.key() + "' is not a VA, EXPR or AU head (its task layer is '" + h.key() + "')"));
            if (byTask.put(t, h) != null) {
                throw new InvalidInputException("--head", "two heads for task " + t + "; give one per task");
            }
        }
        return byTask;
    }

    private interface Action<T> {
        T run() throws IOException;
    }

    /** Runs {@code a}, restating an evaluator's complaint under the option it came from ({@code split} is --split). */
    private static <T> T asOption(Action<T> a) throws IOException {
        try {
            return a.run();
        } catch (InvalidInputException e) {
            throw new InvalidInputException("--" + e.field(), e.reason(), e);
        }
    }

    /** Writes one task's predictions of a video as {@code --out/<task folder>/<video>.txt}, in the annotation format. */
    private void write(Task t, String video, float[][] rows) throws IOException {
        AbawTask task = AbawTask.valueOf(t.name());
        StringBuilder text = new StringBuilder(task.header()).append('\n');
        for (float[] r : rows) {
            text.append(line(t, r)).append('\n');
        }
        Path file = out.resolve(task.folder()).resolve(video + ".txt");
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One prediction line: VA two floats, EXPR the argmax class, AU the twelve probabilities. */
    static String line(Task task, float[] values) {
        if (task == Task.EXPR) {
            int best = 0;
            for (int k = 1; k < values.length; k++) {
                if (values[k] > values[best]) {
                    best = k;
                }
            }
            return Integer.toString(best);
        }
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < values.length; k++) {
            float v = task == Task.AU ? Math.clamp(values[k], 0f, 1f) : values[k];
            s.append(k == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }

    /** Scores every task's written predictions with {@code affect score}'s code; prints and writes metrics.json. */
    private void score(AbawDataset dataset, AbawSplit split, Iterable<Task> tasks) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("split", split.label());
        result.put("pipeline", demo ? "demo" : checkpoint.toString());
        Map<String, Object> byTask = new LinkedHashMap<>();
        StringBuilder tables = new StringBuilder();
        ObjectMapper mapper = new ObjectMapper();
        for (Task t : tasks) {
            AbawTask task = AbawTask.valueOf(t.name());
            Path predictions = out.resolve(task.folder());
            Path annotations = dataset.annotationFolder(task, split);
            byTask.put(t.name(), mapper.readValue(runScore(t, predictions, annotations, true),
                    new TypeReference<LinkedHashMap<String, Object>>() { }));
            if (!json) {
                tables.append(runScore(t, predictions, annotations, false)).append('\n');
            }
        }
        result.put("tasks", byTask);
        String text = mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("metrics.json"), (text + "\n").getBytes(StandardCharsets.UTF_8));
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(text);
        } else {
            stdout.print(tables);
            stdout.println("predictions and metrics.json in " + out);
        }
    }

    /** {@code affect score} in-process on one task's folders; its output. */
    private static String runScore(Task task, Path predictions, Path annotations, boolean json) throws IOException {
        ScoreCommand score = new ScoreCommand();
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(score);
        cli.setOut(new PrintWriter(text, true));
        score.task = task;
        score.predictions = predictions;
        score.annotations = annotations;
        score.json = json;
        score.call();
        return text.toString();
    }
}
