package dev.affect.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

    static BenchTool tool() {
        return new BenchTool("ort-bench", """
                ONNX Runtime's side of scripts/bench: times the ONNX model on random input and prints one
                JSON line with the same keys as `affect bench --json`.""", List.of(
                BenchOption.of("model", "FILE", "../shared/fixtures/peer/ddamfn_8_class.onnx", "The ONNX model to run."),
                BenchOption.of("batch", "N", "1", "Frames per run."),
                BenchOption.of("iterations", "N", "30", "Timed runs, after the warm-up."),
                BenchOption.of("warmup", "N", "5", "Untimed runs first."),
                OrtPeer.threadsOption()));
    }

    public static void main(String[] args) throws Exception {
        System.exit(tool().run(args, System.out, System.err, OrtBench::measure));
    }

    private static void measure(Args a, PrintStream out) throws Exception {
        Path model = Path.of(a.get("model"));
        int batch = a.positiveInt("batch");
        int iterations = a.positiveInt("iterations");
        int warmup = a.nonNegativeInt("warmup");
        int threads = a.positiveInt("threads");
        if (!Files.isRegularFile(model)) {
            throw new UsageException("--model: no such file: " + model);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = OrtPeer.options(threads)) {
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
                    r.put("description", OrtPeer.description(env, threads));
                    r.put("batch", batch);
                    r.put("iterations", iterations);
                    r.put("ms_per_batch_median", median);
                    r.put("ms_per_frame", median / batch);
                    r.put("frames_per_second", batch * 1000.0 / median);
                    r.put("plan_compile_ms", compileMs);
                    r.put("peak_rss_mb", PeakRss.mb());
                    out.println(new ObjectMapper().writeValueAsString(r));
                }
            }
        }
    }
}
