package dev.affect.cli.load;

import dev.affect.engine.InvalidInputException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ghz-style durations: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1m30s}; {@code 0} = none. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|ns|h|m|s)");

    private Durations() {
    }

    public static Duration parse(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(t);
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "h" -> 3.6e12;
                case "m" -> 6e10;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us" -> 1e3;
                default -> 1;
            };
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new InvalidInputException(option, "'" + text + "' is not a duration; expected e.g. 500ms, 30s, 2m, 1h");
        }
        return Duration.ofNanos((long) nanos);
    }

    /** Go's style, as ghz prints: {@code 1.23s}, {@code 45.67ms}, {@code 890.12µs}. */
    public static String human(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f µs", nanos / 1e3);
    }
}
