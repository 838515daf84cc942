package dev.affect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.backend.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * scripts/bench: for each batch size, runs {@code affect bench} and the ONNX Runtime peer in
 * separate JVMs, one after the other (so each has the machine and its own peak RSS), then prints
 * both and the ratios. The machine is noisy: only ratios from the same run mean anything.
 * {@code --model retinaface} runs {@link FaceCompareMain} instead.
 */
public final class CompareMain {
    private static final String DEFAULT_CHECKPOINT = "../shared/fixtures/reference/ddamfn_8_class.pth";
    private static final String DEFAULT_ONNX = "../shared/fixtures/peer/ddamfn_8_class.onnx";
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private CompareMain() {
    }

    /** Built per call: the defaults look at the machine and the files (and backends are discovered by ServiceLoader). */
    static BenchTool tool() {
        String heads = defaultHeads();
        return new BenchTool("scripts/bench", """
            affect vs ONNX Runtime on the same weights, same batches, same run. Each batch size runs
            `affect bench` and the ONNX Runtime peer in separate JVMs, one after the other, and prints
            both, the speedup and a JSON summary. Only ratios from the same run mean anything.""", List.of(
            BenchOption.of("batches", "N,N,...", "1,8,32", "Batch sizes to measure, comma-separated."),
            BenchOption.of("iterations", "N", "30", "Timed runs per batch size, after the warm-up."),
            new BenchOption("threads", "N", String.valueOf(CPUS), "the number of CPUs (" + CPUS + " here)",
                    "Compute threads for both affect and ONNX Runtime (intra-op)."),
            BenchOption.of("backend", "NAME", "cpu", "affect's backend: " + String.join(", ", Backends.names()) + " or auto."),
            BenchOption.of("precision", "f32|bf16", "f32", "affect's precision: f32, or bf16 convolutions (cpu only)."),
            new BenchOption("heads", "A,B,...", heads, "the VA, EXPR and AU LSTM heads of "
                    + "../shared/fixtures/training that exist (" + (heads.isEmpty() ? "none here" : heads) + ")",
                    "Head checkpoints affect runs after the backbone, comma-separated; \"\" for none."),
            BenchOption.of("checkpoint", "FILE", DEFAULT_CHECKPOINT, "The DDAMFN checkpoint affect loads (.pth or .safetensors)."),
            BenchOption.of("model", "FILE", DEFAULT_ONNX, "The same network exported to ONNX, for ONNX Runtime;"
                    + " `retinaface` instead compares face detection + alignment (see --model retinaface --help).")));
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the comparison and returns the exit code: 0, or 2 for a bad argument (after one line on {@code err}). */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--model") && args[i + 1].equals(FaceCompareMain.MODEL)) {
                return FaceCompareMain.run(args, out, err);
            }
        }
        return tool().run(args, out, err, CompareMain::compare);
    }

    private static void compare(Args a, PrintStream out) throws Exception {
        List<Integer> batches = a.positiveInts("batches");
        String iterations = String.valueOf(a.positiveInt("iterations"));
        String threads = String.valueOf(a.positiveInt("threads"));
        Set<String> backends = new TreeSet<>(Backends.names());
        backends.add("auto");
        String backend = a.oneOf("backend", backends);
        String precision = a.oneOf("precision", Set.of("f32", "bf16"));
        String checkpoint = existingFile(a, "checkpoint");
        String onnx = existingFile(a, "model");
        List<String> heads = heads(a.get("heads"));
        for (String h : heads) {
            if (!Files.isRegularFile(Path.of(h))) {
                throw new UsageException("--heads: no such file: " + h);
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> rows = new ArrayList<>();
        out.printf("%-6s %14s %14s %12s %12s %10s %10s %12s%n", "batch", "affect ms/frm", "ort ms/frm", "affect fps",
                "ort fps", "speedup", "rss MB", "heads share");
        for (int b : batches) {
            String batch = String.valueOf(b);
            List<String> ourArgs = new ArrayList<>(List.of("bench", "--checkpoint", checkpoint, "--batch", batch,
                    "--iterations", iterations, "--backend", backend, "--threads", threads, "--precision", precision, "--json"));
            for (String h : heads) {
                ourArgs.add("--head");
                ourArgs.add(h);
            }
            JsonNode ours = run(json, "dev.affect.cli.AffectCli", ourArgs.toArray(String[]::new));
            JsonNode peer = run(json, OrtBench.class.getName(), "--model", onnx, "--batch", batch, "--iterations", iterations,
                    "--threads", threads);
            double speedup = peer.get("ms_per_frame").asDouble() / ours.get("ms_per_frame").asDouble();
            out.printf("%-6s %14.2f %14.2f %12.1f %12.1f %9.2fx %10d %12s%n", batch, ours.get("ms_per_frame").asDouble(),
                    peer.get("ms_per_frame").asDouble(), ours.get("frames_per_second").asDouble(),
                    peer.get("frames_per_second").asDouble(), speedup, ours.get("peak_rss_mb").asLong(),
                    ours.has("heads_share_of_pipeline")
                            ? String.format("%.1f%%", 100 * ours.get("heads_share_of_pipeline").asDouble()) : "-");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("batch", b);
            row.put("affect", ours);
            row.put("onnxruntime", peer);
            row.put("latency_ratio_affect_over_ort", ours.get("ms_per_batch_median").asDouble()
                    / peer.get("ms_per_batch_median").asDouble());
            row.put("throughput_ratio_affect_over_ort", speedup);
            rows.add(row);
        }
        out.println(json.writeValueAsString(Map.of("results", rows)));
    }

    private static String existingFile(Args a, String name) throws UsageException {
        String file = a.get(name);
        if (!Files.isRegularFile(Path.of(file))) {
            throw new UsageException("--" + name + ": no such file: " + file);
        }
        return file;
    }

    /** The three LSTM heads of the training fixtures (VA, EXPR, AU), where ../shared is present. */
    private static String defaultHeads() {
        List<String> found = new ArrayList<>();
        for (String c : List.of("lstm_va_adam", "lstm_expr_adam", "lstm_au_adamw")) {
            Path p = Path.of("../shared/fixtures/training", c, "init.safetensors");
            if (Files.isRegularFile(p)) {
                found.add(p.toString());
            }
        }
        return String.join(",", found);
    }

    private static List<String> heads(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** Runs a main class of this classpath in a fresh JVM and parses the last line of its stdout as JSON. */
    static JsonNode run(ObjectMapper json, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the same JVM flags as scripts/affect (scripts/bench passes them), for both sides
        String flags = System.getProperty("affect.child.jvm", "--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector");
        cmd.addAll(List.of(flags.trim().split("\\s+")));
        // The class path goes in an argument file: ONNX Runtime 1.29's JNI library reads /proc/self/cmdline
        // when it loads and overflows the 1 MB default thread stack on a long command line (SIGSEGV, exit 139).
        Path argFile = Files.createTempFile("affect-bench-", ".args");
        try {
            Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
            cmd.add("@" + argFile);
            cmd.add(mainClass);
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IOException(mainClass + " failed with exit code " + p.exitValue() + ": " + out);
            }
            String last = out.substring(out.lastIndexOf('\n') + 1);
            return json.readTree(last);
        } finally {
            Files.deleteIfExists(argFile);
        }
    }
}
