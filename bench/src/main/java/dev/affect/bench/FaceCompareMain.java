package dev.affect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.cli.FaceBench;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backends;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code scripts/bench --model retinaface}: face detection + alignment per frame, affect
 * ({@code affect bench --model retinaface}) against ONNX Runtime ({@link OrtFaceBench}) on the same
 * released weights, the same frame and the same number of threads, each in a JVM of its own, one
 * after the other. Both sides time the same Java steps ({@link FaceBench}); only the network
 * differs, and it gets the same preprocessed input. Prints a table, the ratio and a JSON summary.
 */
public final class FaceCompareMain {
    static final String MODEL = "retinaface";
    static final String DEFAULT_WEIGHTS = "../shared/fixtures/retinaface/real/mobilenet0.25_Final.pth";
    static final String DEFAULT_ONNX = "../shared/fixtures/peer/retinaface_mnet025.onnx";
    static final String DEFAULT_IMAGE = "../shared/fixtures/real-photos/group.jpeg";
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private FaceCompareMain() {
    }

    static BenchTool tool() {
        String image = Files.isRegularFile(Path.of(DEFAULT_IMAGE)) ? DEFAULT_IMAGE : "";
        return new BenchTool("scripts/bench --model retinaface", """
            RetinaFace detection + 112x112 alignment per frame, affect vs ONNX Runtime on the same released
            weights, same frame, same threads, same run (each side in its own JVM, one after the other).
            Both run the same Java preprocessing, post-processing (decode, threshold, NMS) and alignment;
            the network is affect's (oneDNN) on one side and ONNX Runtime's on the other.""", List.of(
            BenchOption.of("model", "retinaface", "retinaface", "This comparison (scripts/bench without it compares DDAMFN)."),
            BenchOption.of("size", "WxH", "640x480", "The frame."),
            new BenchOption("image", "FILE", image, image.isEmpty() ? "\"\" (the real photos are not here)" : image,
                    "A photo letterboxed into the frame; \"\" for a synthetic one (no face, so nothing to align)."),
            BenchOption.of("iterations", "N", "30", "Timed frames per side, after the warm-up."),
            BenchOption.of("warmup", "N", "5", "Untimed frames per side first."),
            new BenchOption("threads", "N", String.valueOf(CPUS), "the number of CPUs (" + CPUS + " here)",
                    "Compute threads for both affect (oneDNN) and ONNX Runtime (intra-op)."),
            BenchOption.of("backend", "NAME", "cpu", "affect's backend: " + String.join(", ", Backends.names()) + " or auto."),
            BenchOption.of("checkpoint", "FILE", DEFAULT_WEIGHTS, "The RetinaFace weights affect loads (.pth or .safetensors)."),
            BenchOption.of("onnx", "FILE", DEFAULT_ONNX, "The same network exported to ONNX (dynamic H and W), for ONNX Runtime.")));
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return tool().run(args, out, err, FaceCompareMain::compare);
    }

    static int[] size(Args a) throws UsageException {
        try {
            return FaceBench.size(a.get("size"));
        } catch (InvalidInputException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The --image file, or null for a synthetic frame. */
    static Path image(Args a) throws UsageException {
        String v = a.get("image");
        if (v.isEmpty()) {
            return null;
        }
        if (!Files.isRegularFile(Path.of(v))) {
            throw new UsageException("--image: no such file: " + v);
        }
        return Path.of(v);
    }

    private static void compare(Args a, PrintStream out) throws Exception {
        a.oneOf("model", Set.of("retinaface"));
        int[] wh = size(a);
        String size = wh[0] + "x" + wh[1];
        Path image = image(a);
        String iterations = String.valueOf(a.positiveInt("iterations"));
        String warmup = String.valueOf(a.nonNegativeInt("warmup"));
        String threads = String.valueOf(a.positiveInt("threads"));
        Set<String> backends = new TreeSet<>(Backends.names());
        backends.add("auto");
        String backend = a.oneOf("backend", backends);
        String checkpoint = existingFile(a, "checkpoint");
        String onnx = existingFile(a, "onnx");
        List<String> common = new ArrayList<>(List.of("--size", size, "--iterations", iterations, "--warmup", warmup,
                "--threads", threads));
        List<String> ourArgs = new ArrayList<>(List.of("bench", "--model", "retinaface", "--checkpoint", checkpoint,
                "--backend", backend, "--json"));
        ourArgs.addAll(common);
        List<String> peerArgs = new ArrayList<>(List.of("--onnx", onnx, "--image", image == null ? "" : image.toString()));
        peerArgs.addAll(common);
        if (image != null) {
            ourArgs.addAll(List.of("--image", image.toString()));
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode ours = CompareMain.run(json, "dev.affect.cli.AffectCli", ourArgs.toArray(String[]::new));
        JsonNode peer = CompareMain.run(json, OrtFaceBench.class.getName(), peerArgs.toArray(String[]::new));

        out.printf("retinaface, frame %s (%s), network input %s, %s threads%n", size, image == null ? "synthetic" : image,
                ours.get("network_input").asText(), threads);
        out.printf("%-12s %10s %9s %11s %9s %12s %8s %6s %8s%n", "side", "ms/frame", "frames/s", "preprocess", "network",
                "postprocess", "align", "faces", "rss MB");
        for (JsonNode side : List.of(ours, peer)) {
            JsonNode st = side.get("stage_ms_median");
            out.printf("%-12s %10.3f %9.1f %11.3f %9.3f %12.3f %8.3f %6d %8d%n", side.get("backend").asText(),
                    side.get("ms_per_frame").asDouble(), side.get("frames_per_second").asDouble(), st.get("preprocess").asDouble(),
                    st.get("network").asDouble(), st.get("postprocess").asDouble(), st.get("align").asDouble(),
                    side.get("faces_per_frame").asInt(), side.get("peak_rss_mb").asLong());
        }
        double ratio = peer.get("ms_per_frame").asDouble() / ours.get("ms_per_frame").asDouble();
        double networkRatio = peer.get("stage_ms_median").get("network").asDouble()
                / ours.get("stage_ms_median").get("network").asDouble();
        double boxDiff = maxBoxDiff(ours.get("faces"), peer.get("faces"));
        out.printf("throughput affect / onnxruntime: %.2fx (network alone %.2fx); affect: %s; onnxruntime: %s%n", ratio,
                networkRatio, ours.get("description").asText(), peer.get("description").asText());
        double cpuRatio = peer.get("caller_cpu_ms_per_frame").asDouble() / ours.get("caller_cpu_ms_per_frame").asDouble();
        double cpuNetworkRatio = peer.get("stage_caller_cpu_ms_median").get("network").asDouble()
                / ours.get("stage_caller_cpu_ms_median").get("network").asDouble();
        if (threads.equals("1")) {
            // with one compute thread all the work is on the calling thread: its CPU time ignores other load
            out.printf("CPU ms/frame on the one thread: affect %.3f (network %.3f), onnxruntime %.3f (network %.3f):"
                            + " %.2fx (network alone %.2fx)%n", ours.get("caller_cpu_ms_per_frame").asDouble(),
                    ours.get("stage_caller_cpu_ms_median").get("network").asDouble(), peer.get("caller_cpu_ms_per_frame").asDouble(),
                    peer.get("stage_caller_cpu_ms_median").get("network").asDouble(), cpuRatio, cpuNetworkRatio);
        }
        out.printf("same faces: %s (%d vs %d, boxes and scores within %.3g)%n",
                boxDiff >= 0 && boxDiff < 0.5 ? "yes" : "NO",
                ours.get("faces_per_frame").asInt(), peer.get("faces_per_frame").asInt(), boxDiff);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", "retinaface");
        result.put("size", size);
        result.put("threads", Integer.parseInt(threads));
        result.put("includes", "per frame, both sides: Java preprocessing (resize, BGR minus means, pad), the network,"
                + " Java post-processing (decode, threshold, NMS), Java alignment of every face to 112x112");
        result.put("affect", ours);
        result.put("onnxruntime", peer);
        result.put("throughput_ratio_affect_over_ort", Math.round(ratio * 1000) / 1000.0);
        result.put("network_ratio_affect_over_ort", Math.round(networkRatio * 1000) / 1000.0);
        if (threads.equals("1")) {
            result.put("cpu_ratio_affect_over_ort", Math.round(cpuRatio * 1000) / 1000.0);
            result.put("cpu_network_ratio_affect_over_ort", Math.round(cpuNetworkRatio * 1000) / 1000.0);
        }
        result.put("max_face_diff", boxDiff);
        out.println(json.writeValueAsString(Map.of("retinaface", result)));
    }

    /** Largest difference of box corners and scores between the sides' faces; -1 when the counts differ. */
    private static double maxBoxDiff(JsonNode a, JsonNode b) {
        if (a.size() != b.size()) {
            return -1;
        }
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).size(); j++) {
                max = Math.max(max, Math.abs(a.get(i).get(j).asDouble() - b.get(i).get(j).asDouble()));
            }
        }
        return max;
    }

    private static String existingFile(Args a, String name) throws UsageException {
        String file = a.get(name);
        if (!Files.isRegularFile(Path.of(file))) {
            throw new UsageException("--" + name + ": no such file: " + file);
        }
        return file;
    }
}
