package dev.affect.server.jobs;

import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.SafetensorsWriter;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in trainer with the contract of a real one: it "trains" a real FC head (demo weights
 * nudged by a seeded function of the step), checkpoints atomically at every epoch's end, keeps the
 * best N, resumes from its last checkpoint and ends with the same weights whether or not it was
 * interrupted. A learning rate of at least {@link #DIVERGING_LR} makes the loss NaN at step
 * {@link #NAN_STEP}. An optional gate makes each step wait for a permit (tests drive it step by step).
 */
public final class DeterministicRunner implements JobRunner {
    public static final double DIVERGING_LR = 1.0;
    public static final long NAN_STEP = 7;
    public static final String HEAD_FILE = "head.safetensors";
    private static final Pattern CHECKPOINT = Pattern.compile("epoch-(\\d{4})\\.safetensors");

    private final int stepsPerEpoch;
    private final long stepDelayMs;
    private final Semaphore gate;

    public DeterministicRunner(int stepsPerEpoch, long stepDelayMs, Semaphore gate) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.stepDelayMs = stepDelayMs;
        this.gate = gate;
    }

    @Override
    public JobResult run(JobContext context) throws Exception {
        JobSpec spec = context.spec();
        int epochs = spec.hyper().epochs();
        context.totalSteps((long) epochs * stepsPerEpoch);
        int done = lastEpoch(context.runDir());
        Map<String, float[]> weights = done == 0 ? initial(spec) : read(context.runDir().resolve(name(done)));
        Map<String, int[]> shapes = shapes(spec);
        for (int epoch = done + 1; epoch <= epochs; epoch++) {
            double loss = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                if (gate != null) {
                    gate.acquire();
                }
                context.checkStop();
                long step = (long) (epoch - 1) * stepsPerEpoch + s + 1;
                loss = update(weights, spec, step);
                if (Double.isNaN(loss)) {
                    throw new JobDivergedException(epoch, step, "loss is NaN");
                }
                context.step(step, Map.of("loss", loss));
                if (stepDelayMs > 0) {
                    Thread.sleep(stepDelayMs);
                }
            }
            Path file = context.runDir().resolve(name(epoch));
            SafetensorsWriter.write(file, stateDict(weights, shapes), Map.of("val_loss", Double.toString(loss)));
            prune(context.runDir(), spec.keepBest(), epoch);
            context.epochEnded(epoch, (long) epoch * stepsPerEpoch, Map.of("loss", loss, JobSpec.scoreMetric(spec.task()),
                    1 - loss));
        }
        Path head = context.runDir().resolve(HEAD_FILE);
        SafetensorsWriter.write(head, stateDict(weights, shapes));
        return new JobResult(head);
    }

    /** The step's update; returns the step's loss (NaN when the learning rate diverges). */
    private static double update(Map<String, float[]> weights, JobSpec spec, long step) {
        if (spec.hyper().learningRate() >= DIVERGING_LR && step >= NAN_STEP) {
            return Double.NaN;
        }
        SplittableRandom rng = new SplittableRandom(spec.hyper().seed() * 1_000_003L + step);
        float lr = (float) spec.hyper().learningRate();
        for (float[] w : weights.values()) {
            for (int i = 0; i < w.length; i += 7) {
                w[i] += lr * (float) (rng.nextDouble() - 0.5);
            }
        }
        return 1.0 / (1 + step);
    }

    private static Map<String, float[]> initial(JobSpec spec) {
        Map<String, float[]> out = new LinkedHashMap<>();
        DemoWeights.fcHead(spec.task(), spec.hyper().seed()).asMap().forEach((k, t) -> out.put(k, t.toFloatArray()));
        return out;
    }

    private static Map<String, int[]> shapes(JobSpec spec) {
        Map<String, int[]> out = new LinkedHashMap<>();
        DemoWeights.fcHead(spec.task(), spec.hyper().seed()).asMap().forEach((k, t) -> out.put(k, t.shape().dims()));
        return out;
    }

    private static StateDict stateDict(Map<String, float[]> weights, Map<String, int[]> shapes) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        weights.forEach((k, w) -> t.put(k, Tensor.of(w.clone(), shapes.get(k))));
        return new StateDict(t);
    }

    private static Map<String, float[]> read(Path file) throws IOException {
        return CheckpointFiles.readAndRelease(file, sd -> {
            Map<String, float[]> out = new LinkedHashMap<>();
            sd.asMap().forEach((k, t) -> out.put(k, t.toFloatArray()));
            return out;
        });
    }

    private static String name(int epoch) {
        return String.format("epoch-%04d.safetensors", epoch);
    }

    /** The latest epoch with a checkpoint; 0 when none. */
    static int lastEpoch(Path runDir) throws IOException {
        int last = 0;
        for (int e : epochs(runDir)) {
            last = Math.max(last, e);
        }
        return last;
    }

    private static List<Integer> epochs(Path runDir) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir, "epoch-*.safetensors")) {
            for (Path f : files) {
                Matcher m = CHECKPOINT.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return out;
    }

    /** Keeps the latest checkpoint (to resume from) and the best N by loss (here: the latest N). */
    private static void prune(Path runDir, int keep, int latest) throws IOException {
        for (int e : epochs(runDir)) {
            if (e <= latest - keep) {
                Files.deleteIfExists(runDir.resolve(name(e)));
            }
        }
    }
}
