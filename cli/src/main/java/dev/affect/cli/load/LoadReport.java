package dev.affect.cli.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured, in ghz's vocabulary: call latencies (a stream call timed start to end,
 * as ghz does), status codes and errors, plus per-frame latency (send to result) in an HdrHistogram.
 * Thread-safe while recording; {@link #freeze} ends recording.
 */
public final class LoadReport {
    static final int[] PERCENTAGES = {10, 25, 50, 75, 90, 95, 99};
    private static final int HISTOGRAM_BUCKETS = 10;

    private final List<Long> callLatencies = new ArrayList<>();
    private final Map<String, Long> statusCodes = new TreeMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Long> frameErrors = new TreeMap<>();
    /** 1 µs .. 1 h, 3 significant digits. */
    private final Histogram frameLatency = new Histogram(1_000L, TimeUnit.HOURS.toNanos(1), 3);
    private long frames;
    private long totalNanos;
    private boolean frozen;

    /** One finished call: its latency, its status code name (OK, UNAVAILABLE, ...) and error message if any. */
    public synchronized void call(long latencyNanos, String statusCode, String error) {
        if (frozen) {
            return;
        }
        callLatencies.add(latencyNanos);
        statusCodes.merge(statusCode, 1L, Long::sum);
        if (error != null) {
            errors.merge(error, 1L, Long::sum);
        }
    }

    /** One answered frame (latency from send to result; an errored frame counts too, with its message). */
    public synchronized void frame(long latencyNanos, String error) {
        if (frozen) {
            return;
        }
        frames++;
        if (latencyNanos > 0) {
            frameLatency.recordValue(Math.min(Math.max(latencyNanos, 1_000L), frameLatency.getHighestTrackableValue()));
        }
        if (error != null) {
            frameErrors.merge(error, 1L, Long::sum);
        }
    }

    /** Ends recording: later calls and frames (cut off by the hard stop) are not counted. */
    public synchronized void freeze(long totalNanos) {
        if (!frozen) {
            this.totalNanos = totalNanos;
            frozen = true;
        }
    }

    public synchronized long count() {
        return callLatencies.size();
    }

    public synchronized long frames() {
        return frames;
    }

    /** ghz's JSON report, plus frames, frameRps, frameLatencyDistribution and frameErrorDistribution. */
    public synchronized Map<String, Object> json(Map<String, Object> options) {
        long[] lats = sorted();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", java.time.Instant.now().toString());
        m.put("options", options);
        m.put("count", lats.length);
        m.put("total", totalNanos);
        m.put("average", lats.length == 0 ? 0 : Math.round(Arrays.stream(lats).average().orElse(0)));
        m.put("fastest", lats.length == 0 ? 0 : lats[0]);
        m.put("slowest", lats.length == 0 ? 0 : lats[lats.length - 1]);
        m.put("rps", perSecond(lats.length));
        m.put("histogram", histogram(lats));
        List<Map<String, Object>> dist = new ArrayList<>();
        for (int p : PERCENTAGES) {
            dist.add(entry(p, lats.length == 0 ? 0 : lats[nearestRank(p, lats.length)]));
        }
        m.put("latencyDistribution", dist);
        m.put("statusCodeDistribution", new LinkedHashMap<>(statusCodes));
        m.put("errorDistribution", new LinkedHashMap<>(errors));
        m.put("frames", frames);
        m.put("frameRps", perSecond(frames));
        List<Map<String, Object>> frameDist = new ArrayList<>();
        for (int p : PERCENTAGES) {
            frameDist.add(entry(p, frameLatency.getTotalCount() == 0 ? 0 : frameLatency.getValueAtPercentile(p)));
        }
        m.put("frameLatencyDistribution", frameDist);
        m.put("frameAverage", frameLatency.getTotalCount() == 0 ? 0 : Math.round(frameLatency.getMean()));
        m.put("frameErrorDistribution", new LinkedHashMap<>(frameErrors));
        return m;
    }

    /** ghz's summary text, with a frames section. */
    public synchronized String summary(String title) {
        long[] lats = sorted();
        StringBuilder b = new StringBuilder();
        b.append("\nSummary:\n");
        if (title != null) {
            b.append("  Name:\t").append(title).append('\n');
        }
        b.append("  Count:\t").append(lats.length).append('\n');
        b.append("  Total:\t").append(Durations.human(totalNanos)).append('\n');
        if (lats.length > 0) {
            b.append("  Slowest:\t").append(Durations.human(lats[lats.length - 1])).append('\n');
            b.append("  Fastest:\t").append(Durations.human(lats[0])).append('\n');
            b.append("  Average:\t").append(Durations.human(Math.round(Arrays.stream(lats).average().orElse(0))))
                    .append('\n');
        }
        b.append("  Requests/sec:\t").append(String.format(Locale.ROOT, "%.2f", perSecond(lats.length))).append('\n');
        b.append("  Frames:\t").append(frames).append('\n');
        b.append("  Frames/sec:\t").append(String.format(Locale.ROOT, "%.2f", perSecond(frames))).append('\n');
        if (lats.length > 0) {
            b.append("\nResponse time histogram:\n");
            List<Map<String, Object>> h = histogram(lats);
            long max = h.stream().mapToLong(e -> (Long) e.get("count")).max().orElse(1);
            for (Map<String, Object> e : h) {
                long c = (Long) e.get("count");
                int bar = max == 0 ? 0 : (int) (40 * c / max);
                b.append(String.format(Locale.ROOT, "  %.3f [%d]\t|%s%n", (Double) e.get("mark") * 1e3, c, "∎".repeat(bar)));
            }
            b.append("\nLatency distribution:\n");
            for (int p : PERCENTAGES) {
                b.append("  ").append(p).append(" % in ").append(Durations.human(lats[nearestRank(p, lats.length)]))
                        .append('\n');
            }
        }
        if (frameLatency.getTotalCount() > 0) {
            b.append("\nFrame latency distribution (send to result):\n");
            for (int p : PERCENTAGES) {
                b.append("  ").append(p).append(" % in ").append(Durations.human(frameLatency.getValueAtPercentile(p)))
                        .append('\n');
            }
        }
        b.append("\nStatus code distribution:\n");
        statusCodes.forEach((code, n) -> b.append("  [").append(code).append("]\t").append(n).append(" responses\n"));
        if (!errors.isEmpty()) {
            b.append("\nError distribution:\n");
            errors.forEach((e, n) -> b.append("  [").append(n).append("]\t").append(e).append('\n'));
        }
        if (!frameErrors.isEmpty()) {
            b.append("\nFrame error distribution:\n");
            frameErrors.forEach((e, n) -> b.append("  [").append(n).append("]\t").append(e).append('\n'));
        }
        return b.toString();
    }

    private long[] sorted() {
        long[] lats = callLatencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(lats);
        return lats;
    }

    private double perSecond(long n) {
        return totalNanos <= 0 ? 0 : n / (totalNanos / 1e9);
    }

    /** ghz's buckets: 10 marks from fastest to slowest (seconds), each counting latencies up to it. */
    private static List<Map<String, Object>> histogram(long[] lats) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (lats.length == 0) {
            return out;
        }
        long fastest = lats[0];
        long slowest = lats[lats.length - 1];
        double width = (slowest - fastest) / (double) HISTOGRAM_BUCKETS;
        double[] marks = new double[HISTOGRAM_BUCKETS + 1];
        for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
            marks[i] = fastest + width * i;
        }
        marks[HISTOGRAM_BUCKETS] = slowest;
        long[] counts = new long[marks.length];
        int bucket = 0;
        for (long l : lats) {
            while (bucket < marks.length - 1 && l > marks[bucket]) {
                bucket++;
            }
            counts[bucket]++;
        }
        for (int i = 0; i < marks.length; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("mark", marks[i] / 1e9);
            e.put("count", counts[i]);
            e.put("frequency", counts[i] / (double) lats.length);
            out.add(e);
        }
        return out;
    }

    private static int nearestRank(int percentage, int n) {
        return Math.clamp((long) Math.ceil(percentage / 100.0 * n) - 1, 0, n - 1);
    }

    private static Map<String, Object> entry(int percentage, long latency) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("percentage", percentage);
        e.put("latency", latency);
        return e;
    }
}
