package dev.affect.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The peer: the same DDAMFN exported to ONNX, run by ONNX Runtime's Java API with all graph
 * optimisations and the given intra-op threads. Prints one JSON object with the same keys as
 * {@code affect bench --json}.
 */
public final class OrtBench {
    private OrtBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        Path model = Path.of(a.getOrDefault("model", "../shared/fixtures/peer/ddamfn_8_class.onnx"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "1"));
        int iterations = Integer.parseInt(a.getOrDefault("iterations", "30"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
        int threads = Integer.parseInt(a.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        if (!Files.isRegularFile(model)) {
            System.err.println("ort-bench: no such model file: " + model);
            System.exit(2);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            long t0 = System.nanoTime();
            try (OrtSession session = env.createSession(model.toString(), opts)) {
                double compileMs = (System.nanoTime() - t0) / 1e6;
                float[] data = new float[batch * 3 * 112 * 112];
                Random rng = new Random(1);
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) rng.nextGaussian();
                }
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {batch, 3, 112, 112})) {
                    Map<String, OnnxTensor> feed = Map.of("input", input);
                    for (int i = 0; i < warmup; i++) {
                        session.run(feed).close();
                    }
                    double[] ms = new double[iterations];
                    for (int i = 0; i < iterations; i++) {
                        long s = System.nanoTime();
                        session.run(feed).close();
                        ms[i] = (System.nanoTime() - s) / 1e6;
                    }
                    Arrays.sort(ms);
                    double median = ms[ms.length / 2];
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("backend", "onnxruntime");
                    r.put("description", "ONNX Runtime " + env.getVersion() + ", ALL_OPT, " + threads + " intra-op threads");
                    r.put("batch", batch);
                    r.put("iterations", iterations);
                    r.put("ms_per_batch_median", median);
                    r.put("ms_per_frame", median / batch);
                    r.put("frames_per_second", batch * 1000.0 / median);
                    r.put("plan_compile_ms", compileMs);
                    r.put("peak_rss_mb", PeakRss.mb());
                    System.out.println(new ObjectMapper().writeValueAsString(r));
                }
            }
        }
    }
}
