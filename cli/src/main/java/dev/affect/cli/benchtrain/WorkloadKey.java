package dev.affect.cli.benchtrain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names a workload the way the PyTorch peer's JSON lines do: {@code workload} is {@code head}
 * (with {@code head} fc/lstm and {@code task} va/expr/au) or {@code ddamfn} (head and task null).
 */
public record WorkloadKey(String workload, String head, String task) {
    public static final String HEAD = "head";
    public static final String DDAMFN = "ddamfn";

    public static WorkloadKey head(String kind, String task) {
        return new WorkloadKey(HEAD, kind, task);
    }

    public static WorkloadKey ddamfn() {
        return new WorkloadKey(DDAMFN, null, null);
    }

    /** The peer row's key. */
    public static WorkloadKey of(JsonNode row) {
        return new WorkloadKey(row.path("workload").asText(), text(row, "head"), text(row, "task"));
    }

    private static String text(JsonNode row, String field) {
        return row.hasNonNull(field) ? row.get(field).asText() : null;
    }

    /** What the issue asks of affect against PyTorch: 2x on head training, 1x on DDAMFN fine-tuning. */
    public double targetRatio() {
        return workload.equals(HEAD) ? 2.0 : 1.0;
    }

    public String label() {
        return workload.equals(HEAD) ? head + " " + task : "ddamfn";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", workload);
        if (head != null) {
            m.put("head", head);
            m.put("task", task);
        }
        return m;
    }
}
