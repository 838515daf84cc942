package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.cli.benchtrain.TrainBench;
import dev.affect.cli.benchtrain.TrainBenchSettings;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.engine.model.retinaface.RetinaFaceDetector;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineState;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times the serving path (logits + embedding) of one loaded model with every batch bucket compiled
 * at load, for each requested batch size; with heads, also a batch of frames from as many different
 * sequences through backbone + heads (what cross-session batching runs), beside the backbone alone.
 *
 * <p>With {@code --model retinaface}: face detection + alignment of one {@code --size} frame (a
 * letterboxed {@code --image}, or a synthetic one), stage by stage ({@link FaceBench}).
 * {@code scripts/bench --model retinaface} runs this beside ONNX Runtime (the bench module, which
 * this module cannot depend on).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {"Measure DDAMFN (and head) latency and throughput.",
        "With --model retinaface: face detection + alignment per frame of --size (scripts/bench --model retinaface: vs ONNX Runtime).",
        "With --train: training throughput (head steps on cached embeddings, DDAMFN fine-tuning) against PyTorch in the same run."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", description = "DDAMFN weights (.pth/.pt/.safetensors), or RetinaFace's with --model"
            + " retinaface; required, except with --train (where it is the model both sides fine-tune).")
    Path checkpoint;

    @Option(names = "--model", defaultValue = "ddamfn", description = "ddamfn, or retinaface: face detection + alignment"
            + " per frame (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--size", defaultValue = "640x480", description = "With --model retinaface: the frame, WxH"
            + " (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--image", description = "With --model retinaface: a photo letterboxed into --size (default: a"
            + " synthetic frame, with no face to align).")
    Path image;

    @Option(names = "--train", description = "Time training steps instead, affect and PyTorch (/usr/bin/python3) side by side.")
    boolean train;

    @Mixin
    TrainBenchOptions trainOptions;

    @Option(names = "--batch", defaultValue = "1", split = ",",
            description = "Frames per forward pass; a list gives one result per size (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--buckets", defaultValue = "1,2,4,8,16,32",
            description = "Batch sizes compiled at load, as the server does (default: ${DEFAULT-VALUE}).")
    String buckets;

    @Option(names = "--head", description = "A temporal head to time on top (repeat: e.g. the va, expr and au LSTM heads).")
    List<Path> heads = new ArrayList<>();

    @Option(names = "--iterations", defaultValue = "30", description = "Timed forward passes (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object per batch size instead of a sentence.")
    boolean json;

    @Option(names = "--plan", description = "Also print each batch's compiled plan (each step and its implementation) to stderr.")
    boolean showPlan;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        if (train) {
            return trainBench();
        }
        if (!model.equals("ddamfn") && !model.equals("retinaface")) {
            throw new InvalidInputException("--model", "must be ddamfn or retinaface, got '" + model + "'");
        }
        if (model.equals("retinaface")) {
            return faceBench();
        }
        if (checkpoint == null) {
            throw new InvalidInputException("--checkpoint", "is required: the DDAMFN weights to time");
        }
        BatchBuckets compiled = BackendChoice.buckets(buckets);
        for (int b : batches) {
            if (b < 1 || b > compiled.largest()) {
                throw new InvalidInputException("--batch", b + " is outside 1.." + compiled.largest() + " (the largest of --buckets)");
            }
        }
        if (iterations < 1) {
            throw new InvalidInputException("--iterations", "must be at least 1, got " + iterations);
        }
        if (warmup < 0) {
            throw new InvalidInputException("--warmup", "must not be negative, got " + warmup);
        }
        List<Head> loaded = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Backend backend = backendChoice.open();
             Ddamfn model = BackendChoice.load(checkpoint, backend, Ddamfn.Options.serving().withBuckets(compiled));
             TensorScope scope = new TensorScope()) {
            double loadMs = (System.nanoTime() - t0) / 1e6;
            try {
                for (Path h : heads) {
                    loaded.add(Head.load(h, backend));
                }
                Pipeline pipeline = loaded.isEmpty() ? null : Pipeline.of(model, loaded);
                for (int batch : batches) {
                    report(measure(model, pipeline, batch, scope, backend, loadMs));
                }
            } finally {
                loaded.forEach(Head::close);
            }
        }
        return 0;
    }

    private int faceBench() throws Exception {
        if (checkpoint == null) {
            throw new InvalidInputException("--checkpoint", "is required: the RetinaFace weights to time");
        }
        int[] wh = FaceBench.size(size);
        if (iterations < 1) {
            throw new InvalidInputException("--iterations", "must be at least 1, got " + iterations);
        }
        if (warmup < 0) {
            throw new InvalidInputException("--warmup", "must not be negative, got " + warmup);
        }
        RgbImage frame = FaceBench.frame(image, wh[0], wh[1]);
        DetectionConfig config = DetectionConfig.defaults();
        int threads = backendChoice.threads != 0 ? backendChoice.threads : Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        try (Backend backend = backendChoice.open(threads);
             RetinaFaceDetector detector = RetinaFaceDetector.load(checkpoint, backend, config)) {
            FaceBench bench = new FaceBench(config, FaceBench.engine(detector.model()));
            // compiles the frame's bucket, and checks that the timed steps find what the served path finds
            List<FaceFinder.Face> served = new FaceFinder(detector).find(frame);
            double loadMs = (System.nanoTime() - t0) / 1e6;
            List<FaceFinder.Face> staged = bench.run(frame, new HashMap<>()).faces();
            if (!served.stream().map(FaceFinder.Face::detection).toList()
                    .equals(staged.stream().map(FaceFinder.Face::detection).toList())) {
                throw new IllegalStateException("the timed steps found " + staged.size() + " faces, the detector "
                        + served.size() + ": FaceBench no longer runs what RetinaFaceDetector runs");
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("backend", backend.name());
            extra.put("description", backend.description());
            extra.put("threads", threads);
            extra.put("image", image == null ? "synthetic" : image.toString());
            extra.put("load_and_compile_ms", FaceBench.round(loadMs));
            Map<String, Object> r = bench.measure(frame, warmup, iterations, extra);
            if (json) {
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(r));
            } else {
                spec.commandLine().getOut().printf("%s retinaface %s (network input %s): %.2f ms per frame (median of %d),"
                                + " %.1f frames/s, %d faces; stages %s ms, peak RSS %d MB%n", r.get("description"), r.get("size"),
                        r.get("network_input"), (Double) r.get("ms_per_frame"), iterations, (Double) r.get("frames_per_second"),
                        (Integer) r.get("faces_per_frame"), r.get("stage_ms_median"), (Long) r.get("peak_rss_mb"));
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private int trainBench() throws Exception {
        int threads = backendChoice.threads != 0 ? backendChoice.threads : Runtime.getRuntime().availableProcessors();
        TrainBenchSettings settings = trainOptions.settings(checkpoint, warmup, threads);
        try (Backend backend = backendChoice.open(threads)) {
            new TrainBench(settings, backend, spec.commandLine().getErr()).run(json, spec.commandLine().getOut());
        }
        return 0;
    }

    private Map<String, Object> measure(Ddamfn model, Pipeline pipeline, int batch, TensorScope scope, Backend backend,
                                        double loadMs) {
        int bucket = model.buckets().bucketFor(batch);
        if (showPlan) {
            spec.commandLine().getErr().print(model.describe(bucket));
            spec.commandLine().getErr().flush();
        }
        Tensor frames = scope.allocate(DType.F32, Ddamfn.inputShape(batch));
        Random rng = new Random(1);
        for (long i = 0; i < frames.numel(); i++) {
            frames.setFloat(i, (float) rng.nextGaussian());
        }
        Tensor embeddings = scope.allocate(DType.F32, Shape.of(batch, model.embeddingSize()));
        Runnable backbone = () -> model.embed(frames, embeddings);
        // with heads: one frame from each of `batch` different sequences, each with its own LSTM state,
        // timed alternately with the backbone alone so that both see the same machine
        Runnable withHeads = null;
        if (pipeline != null) {
            List<PipelineState> states = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                states.add(pipeline.newState(scope));
            }
            withHeads = () -> pipeline.step(frames, states);
        }
        double[][] ms = time(backbone, withHeads);
        double median = ms[0][ms[0].length / 2];
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("backend", backend.name());
        r.put("description", backend.description());
        r.put("batch", batch);
        r.put("bucket", bucket);
        r.put("buckets_compiled", model.buckets().sizes());
        r.put("iterations", iterations);
        r.put("ms_per_batch_median", round(median));
        r.put("ms_per_batch_p10", round(ms[0][ms[0].length / 10]));
        r.put("ms_per_batch_p90", round(ms[0][Math.min(ms[0].length - 1, ms[0].length * 9 / 10)]));
        r.put("ms_per_frame", round(median / batch));
        r.put("frames_per_second", round(batch * 1000.0 / median));
        r.put("load_and_compile_ms", round(loadMs));
        if (pipeline != null) {
            double pipelineMedian = ms[1][ms[1].length / 2];
            r.put("heads", pipeline.heads().stream().map(Head::describe).toList());
            r.put("pipeline_ms_per_frame", round(pipelineMedian / batch));
            r.put("heads_ms_per_frame", round((pipelineMedian - median) / batch));
            r.put("heads_share_of_pipeline", round((pipelineMedian - median) / pipelineMedian));
        }
        r.put("peak_rss_mb", ProcessMemory.peakRssMb());
        return r;
    }

    /**
     * Sorted wall times in ms of the timed iterations, after the warm-up: [0] for {@code first}, [1]
     * for {@code second} (run alternately with it) when that is not null.
     */
    private double[][] time(Runnable first, Runnable second) {
        List<Runnable> passes = second == null ? List.of(first) : List.of(first, second);
        for (int i = 0; i < warmup; i++) {
            passes.forEach(Runnable::run);
        }
        double[][] ms = new double[passes.size()][iterations];
        for (int i = 0; i < iterations; i++) {
            for (int p = 0; p < passes.size(); p++) {
                long s = System.nanoTime();
                passes.get(p).run();
                ms[p][i] = (System.nanoTime() - s) / 1e6;
            }
        }
        for (double[] m : ms) {
            Arrays.sort(m);
        }
        return ms;
    }

    private void report(Map<String, Object> r) throws Exception {
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(r));
        } else {
            spec.commandLine().getOut().printf("%s batch %s: %.2f ms per batch (median of %d), %.1f frames/s%s, peak RSS %d MB%n",
                    r.get("description"), r.get("batch"), (Double) r.get("ms_per_batch_median"), iterations,
                    (Double) r.get("frames_per_second"),
                    r.containsKey("heads_ms_per_frame") ? String.format(", heads %.3f ms per frame (%.1f%% of the pipeline)",
                            (Double) r.get("heads_ms_per_frame"), 100 * (Double) r.get("heads_share_of_pipeline")) : "",
                    (Long) r.get("peak_rss_mb"));
        }
        spec.commandLine().getOut().flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
