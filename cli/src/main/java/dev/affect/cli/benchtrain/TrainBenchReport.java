package dev.affect.cli.benchtrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs affect's figures with the peer's row of the same workload: a table, and one JSON object
 * with both sides, the throughput ratio affect/PyTorch, the target for it, and what each
 * side ran on (affect's backend description names oneDNN's ISA; PyTorch's its dispatch ISA and BLAS).
 */
final class TrainBenchReport {
    private final int threads;
    private final String backend;
    private final List<Measured> ours;
    private final TorchPeer.Result peer;

    TrainBenchReport(int threads, String backend, List<Measured> ours, TorchPeer.Result peer) {
        this.threads = threads;
        this.backend = backend;
        this.ours = List.copyOf(ours);
        this.peer = peer;
    }

    JsonNode peerRow(WorkloadKey key) {
        return peer.rows().stream().filter(r -> WorkloadKey.of(r).equals(key)).findFirst().orElse(null);
    }

    /** affect's frames/s over PyTorch's, or null when either side has no figure. */
    Double ratio(Measured m) {
        JsonNode row = peerRow(m.key());
        if (m.figures() == null || row == null || !row.has("frames_per_second")) {
            return null;
        }
        return m.figures().framesPerSecond() / row.get("frames_per_second").asDouble();
    }

    Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("threads", threads);
        s.put("affect_backend", backend);
        s.put("pytorch", peer.available() ? peerEnvironment() : Map.of("unavailable", peer.unavailable()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Measured m : ours) {
            Map<String, Object> r = new LinkedHashMap<>(m.key().toMap());
            r.put("affect", m.figures() != null ? m.figures().toMap() : Map.of("error", m.error()));
            r.put("pytorch", peerRow(m.key()));
            Double ratio = ratio(m);
            r.put("throughput_ratio_affect_over_pytorch", ratio);
            r.put("target_ratio", m.key().targetRatio());
            r.put("meets_target", ratio == null ? null : ratio >= m.key().targetRatio());
            rows.add(r);
        }
        s.put("results", rows);
        return s;
    }

    /** What the peer's rows say about its side, from the first row (they all say the same). */
    private Map<String, Object> peerEnvironment() {
        Map<String, Object> env = new LinkedHashMap<>();
        if (!peer.rows().isEmpty()) {
            JsonNode first = peer.rows().get(0);
            for (String k : List.of("torch", "threads", "cpu_capability", "mkldnn", "blas")) {
                if (first.has(k)) {
                    env.put(k, first.get(k));
                }
            }
        }
        return env;
    }

    void printTable(PrintWriter out) {
        out.println("affect: " + backend);
        if (peer.available()) {
            Map<String, Object> env = peerEnvironment();
            out.println("PyTorch " + text(env.get("torch")) + ", " + text(env.get("threads")) + " threads, ATen "
                    + text(env.get("cpu_capability")) + ", BLAS " + text(env.get("blas")));
        } else {
            out.println("PyTorch: " + peer.unavailable());
        }
        out.printf("%-12s %8s %14s %14s %9s %8s%n", "workload", "frm/step", "affect fps", "pytorch fps", "ratio", "target");
        for (Measured m : ours) {
            JsonNode row = peerRow(m.key());
            Double ratio = ratio(m);
            out.printf("%-12s %8s %14s %14s %9s %8s%n", m.key().label(),
                    m.figures() != null ? m.figures().framesPerStep() : row != null ? row.path("frames_per_step").asText() : "-",
                    m.figures() != null ? String.format("%.1f", m.figures().framesPerSecond()) : "-",
                    row != null ? String.format("%.1f", row.get("frames_per_second").asDouble()) : "-",
                    ratio != null ? String.format("%.2fx", ratio) : "-",
                    String.format("%.0fx%s", m.key().targetRatio(), ratio == null ? "" : ratio >= m.key().targetRatio() ? " ok" : " MISS"));
            if (m.error() != null) {
                out.println("  affect could not run " + m.key().label() + ": " + m.error());
            }
        }
    }

    private static String text(Object o) {
        return o instanceof JsonNode n ? n.asText() : String.valueOf(o);
    }

    String json() throws com.fasterxml.jackson.core.JsonProcessingException {
        return new ObjectMapper().writeValueAsString(summary());
    }
}
