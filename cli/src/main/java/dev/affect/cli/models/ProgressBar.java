package dev.affect.cli.models;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One redrawn line on a terminal: bar, percent, bytes, rate and ETA. Redraws at most every
 * {@value #REDRAW_NANOS} ns so a fast download does not spend its time printing. The rate counts
 * only this run's bytes, so a resumed download does not claim the earlier run's as instant.
 */
final class ProgressBar implements DownloadProgress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final LongSupplier clock;
    private long startNanos = -1;
    private long startBytes;
    private long lastDraw = Long.MIN_VALUE;
    private long have;
    private long total = -1;

    ProgressBar(PrintWriter err) {
        this(err, System::nanoTime);
    }

    ProgressBar(PrintWriter err, LongSupplier clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public void update(long have, long total) {
        long now = clock.getAsLong();
        if (startNanos < 0) {
            startNanos = now;
            startBytes = have;
        }
        this.have = have;
        this.total = total;
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            err.print("\r" + line(now));
            err.flush();
        }
    }

    @Override
    public void done() {
        if (startNanos >= 0) {
            err.println("\r" + line(clock.getAsLong()));
            err.flush();
        }
    }

    String line(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (have - startBytes) / seconds;
        StringBuilder s = new StringBuilder();
        if (total > 0) {
            double fraction = Math.min(1.0, (double) have / total);
            int filled = (int) (fraction * WIDTH);
            s.append('[').append("=".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            s.append(String.format(Locale.ROOT, "%5.1f%% ", fraction * 100));
            s.append(bytes(have)).append(" / ").append(bytes(total));
        } else {
            s.append(bytes(have));
        }
        s.append("  ").append(bytes((long) rate)).append("/s");
        if (total > 0 && rate > 0 && have < total) {
            s.append("  ETA ").append(duration((long) ((total - have) / rate)));
        }
        return s.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
