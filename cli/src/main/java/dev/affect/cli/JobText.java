package dev.affect.cli;

import dev.affect.client.JobInfo;
import dev.affect.proto.v1.Job;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code affect jobs} shows jobs: one line each, a detail view, and a per-epoch metrics table. */
final class JobText {
    private JobText() {
    }

    /** The heading of {@link #line}'s columns. */
    static String heading() {
        return String.format(Locale.ROOT, "%-18s %-9s %-5s %-5s %9s %9s  %s", "ID", "STATE", "TASK", "HEAD", "EPOCH", "STEP",
                "VALIDATION");
    }

    /** {@code job-0a1b2c3d4e5f  RUNNING   VA    fc    2/10  130  p_va 0.4123  "name"} */
    static String line(JobInfo j) {
        JobSpec s = j.proto().getSpec();
        String name = s.getDisplayName().isEmpty() ? "" : "  \"" + s.getDisplayName() + "\"";
        return String.format(Locale.ROOT, "%-18s %-9s %-5s %-5s %9s %9d  %s%s", j.id(), j.state(), task(s), head(s),
                j.epoch() + "/" + j.epochs(), j.step(), best(j), name);
    }

    /** Every field worth reading, one per line. */
    static String details(JobInfo j) {
        Job p = j.proto();
        JobSpec s = p.getSpec();
        StringBuilder b = new StringBuilder();
        row(b, "id", j.id());
        row(b, "state", j.state().name());
        row(b, "task", task(s) + ", " + head(s) + " head");
        if (!s.getDisplayName().isEmpty()) {
            row(b, "name", s.getDisplayName());
        }
        row(b, "data root", s.getDataRoot());
        row(b, "backbone", s.getBackbone());
        var h = s.getHyper();
        row(b, "hyper", String.format(Locale.ROOT, "lr %s, epochs %d, batch %d, window %d, weight decay %s, seed %d",
                h.getLearningRate(), h.getEpochs(), h.getBatchSize(), h.getWindow(), h.getWeightDecay(), h.getSeed()));
        row(b, "best by", s.getBestMetric() + " (keep " + s.getKeepBest() + ")");
        row(b, "progress", "epoch " + j.epoch() + "/" + j.epochs() + ", step " + j.step()
                + (j.etaMs() > 0 ? ", ETA " + duration(j.etaMs()) : ""));
        if (j.resumedFromEpoch() > 0) {
            row(b, "resumed", "after epoch " + j.resumedFromEpoch());
        }
        row(b, "training", metrics(p.getMetricsList()));
        row(b, "validation", metrics(p.getValidationMetricsList()));
        if (!j.error().isEmpty()) {
            row(b, "error", j.error() + (j.failedStep() > 0 ? " (step " + j.failedStep() + ")" : ""));
        }
        if (!j.headCheckpoint().isEmpty()) {
            row(b, "head", j.headCheckpoint());
        }
        return b.toString();
    }

    /** Validation metrics by epoch, columns in the order the server reported them. */
    static String table(Map<Integer, List<Metric>> byEpoch) {
        List<String> keys = new ArrayList<>();
        byEpoch.values().forEach(ms -> ms.forEach(m -> {
            if (!keys.contains(m.getKey())) {
                keys.add(m.getKey());
            }
        }));
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-6s", "epoch"));
        keys.forEach(k -> b.append(String.format(Locale.ROOT, " %15s", k)));
        b.append('\n');
        byEpoch.forEach((epoch, ms) -> {
            Map<String, Double> values = new LinkedHashMap<>();
            ms.forEach(m -> values.put(m.getKey(), m.getValue()));
            b.append(String.format(Locale.ROOT, "%-6d", epoch));
            keys.forEach(k -> b.append(String.format(Locale.ROOT, " %15.4f", values.getOrDefault(k, Double.NaN))));
            b.append('\n');
        });
        return b.toString();
    }

    /** {@code epoch 2/10 [#####.....] step 130  loss 0.4123  ETA 1:02} */
    static String progress(JobInfo j, long stepsPerEpoch) {
        double done = stepsPerEpoch > 0 ? (double) j.step() / (stepsPerEpoch * j.epochs()) : (double) j.epoch() / j.epochs();
        int filled = (int) Math.round(Math.clamp(done, 0, 1) * 20);
        Double loss = j.metrics().get("loss");
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] step %d%s%s", Math.min(j.epoch() + 1, j.epochs()), j.epochs(),
                "#".repeat(filled), ".".repeat(20 - filled), j.step(),
                loss == null ? "" : String.format(Locale.ROOT, "  loss %.4f", loss),
                j.etaMs() > 0 ? "  ETA " + duration(j.etaMs()) : "");
    }

    static String duration(long ms) {
        long s = ms / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String best(JobInfo j) {
        String key = j.proto().getSpec().getBestMetric();
        Double v = j.validationMetrics().get(key);
        return v == null ? "-" : String.format(Locale.ROOT, "%s %.4f", key, v);
    }

    private static String metrics(List<Metric> ms) {
        if (ms.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        ms.forEach(m -> parts.add(String.format(Locale.ROOT, "%s %.4f", m.getKey(), m.getValue())));
        return String.join(", ", parts);
    }

    private static String task(JobSpec s) {
        return s.getTask().name().replace("TASK_", "");
    }

    private static String head(JobSpec s) {
        return switch (s.getHead()) {
            case HEAD_FC -> "fc";
            case HEAD_LSTM -> "lstm";
            case FULL_FINE_TUNE -> "full";
            default -> "?";
        };
    }

    private static void row(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-11s %s%n", key + ":", value));
    }
}
