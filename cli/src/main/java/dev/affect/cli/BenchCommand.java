package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.model.Ddamfn;
import dev.affect.engine.model.DdamfnGraph;
import dev.affect.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Times the serving path (logits + embedding) on a warm plan. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure DDAMFN latency and throughput.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "DDAMFN weights (.pth/.pt/.safetensors).")
    Path checkpoint;

    @Option(names = "--batch", defaultValue = "1", description = "Frames per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iterations", defaultValue = "30", description = "Timed forward passes (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object instead of a sentence.")
    boolean json;

    @Option(names = "--plan", description = "Also print the compiled plan (each step and its implementation) to stderr.")
    boolean showPlan;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new InvalidInputException("--batch", "must be at least 1, got " + batch);
        }
        if (iterations < 1) {
            throw new InvalidInputException("--iterations", "must be at least 1, got " + iterations);
        }
        if (warmup < 0) {
            throw new InvalidInputException("--warmup", "must not be negative, got " + warmup);
        }
        try (Backend backend = backendChoice.open(); Ddamfn model = BackendChoice.load(checkpoint, backend)) {
            long t0 = System.nanoTime();
            Plan plan = model.plan(batch, List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING));
            double compileMs = (System.nanoTime() - t0) / 1e6;
            if (showPlan) {
                spec.commandLine().getErr().print(plan.describe());
                spec.commandLine().getErr().flush();
            }
            Tensor in = plan.input(DdamfnGraph.INPUT);
            Random rng = new Random(1);
            for (long i = 0; i < in.numel(); i++) {
                in.setFloat(i, (float) rng.nextGaussian());
            }
            for (int i = 0; i < warmup; i++) {
                plan.execute();
            }
            double[] ms = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long s = System.nanoTime();
                plan.execute();
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ms);
            double median = ms[ms.length / 2];
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("backend", backend.name());
            r.put("description", backend.description());
            r.put("batch", batch);
            r.put("iterations", iterations);
            r.put("ms_per_batch_median", round(median));
            r.put("ms_per_batch_p10", round(ms[ms.length / 10]));
            r.put("ms_per_batch_p90", round(ms[Math.min(ms.length - 1, ms.length * 9 / 10)]));
            r.put("ms_per_frame", round(median / batch));
            r.put("frames_per_second", round(batch * 1000.0 / median));
            r.put("plan_compile_ms", round(compileMs));
            r.put("peak_rss_mb", ProcessMemory.peakRssMb());
            if (json) {
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(r));
            } else {
                spec.commandLine().getOut().printf("%s batch %d: %.2f ms per batch (median of %d), %.1f frames/s, peak RSS %d MB%n",
                        backend.description(), batch, median, iterations, batch * 1000.0 / median, ProcessMemory.peakRssMb());
            }
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
