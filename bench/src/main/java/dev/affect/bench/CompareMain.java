package dev.affect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * scripts/bench: for each batch size, runs {@code affect bench} and the ONNX Runtime peer in
 * separate JVMs, one after the other (so each has the machine and its own peak RSS), then prints
 * both and the ratios. The machine is noisy: only ratios from the same run mean anything.
 */
public final class CompareMain {
    private CompareMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        String checkpoint = a.getOrDefault("checkpoint", "../shared/fixtures/reference/ddamfn_8_class.pth");
        String onnx = a.getOrDefault("model", "../shared/fixtures/peer/ddamfn_8_class.onnx");
        String iterations = a.getOrDefault("iterations", "30");
        String threads = a.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        String backend = a.getOrDefault("backend", "cpu");
        String precision = a.getOrDefault("precision", "f32");
        List<String> heads = heads(a.getOrDefault("heads", defaultHeads()));
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf("%-6s %14s %14s %12s %12s %10s %10s %12s%n", "batch", "affect ms/frm", "ort ms/frm", "affect fps",
                "ort fps", "speedup", "rss MB", "heads share");
        for (String batch : a.getOrDefault("batches", "1,8,32").split(",")) {
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
            System.out.printf("%-6s %14.2f %14.2f %12.1f %12.1f %9.2fx %10d %12s%n", batch, ours.get("ms_per_frame").asDouble(),
                    peer.get("ms_per_frame").asDouble(), ours.get("frames_per_second").asDouble(),
                    peer.get("frames_per_second").asDouble(), speedup, ours.get("peak_rss_mb").asLong(),
                    ours.has("heads_share_of_pipeline")
                            ? String.format("%.1f%%", 100 * ours.get("heads_share_of_pipeline").asDouble()) : "-");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("batch", Integer.parseInt(batch));
            row.put("affect", ours);
            row.put("onnxruntime", peer);
            row.put("latency_ratio_affect_over_ort", ours.get("ms_per_batch_median").asDouble()
                    / peer.get("ms_per_batch_median").asDouble());
            row.put("throughput_ratio_affect_over_ort", speedup);
            rows.add(row);
        }
        System.out.println(json.writeValueAsString(Map.of("results", rows)));
    }

    /** The three LSTM heads of the training fixtures (VA, EXPR, AU), where ../shared is present. */
    private static String defaultHeads() {
        List<String> found = new ArrayList<>();
        for (String c : List.of("lstm_va_adam", "lstm_expr_adam", "lstm_au_adamw")) {
            Path p = Path.of("../shared/fixtures/training", c, "init.safetensors");
            if (java.nio.file.Files.isRegularFile(p)) {
                found.add(p.toString());
            }
        }
        return String.join(",", found);
    }

    private static List<String> heads(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** Runs a main class of this classpath in a fresh JVM and parses the last line of its stdout as JSON. */
    private static JsonNode run(ObjectMapper json, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the same JVM flags as scripts/affect (scripts/bench passes them), for both sides
        String flags = System.getProperty("affect.child.jvm", "--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector");
        cmd.addAll(List.of(flags.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException(mainClass + " failed with exit code " + p.exitValue() + ": " + out);
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        return json.readTree(last);
    }
}
