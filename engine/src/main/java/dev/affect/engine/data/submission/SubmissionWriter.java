package dev.affect.engine.data.submission;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.abaw.AnnotationFormatException;
import dev.affect.engine.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the single submission file of one ABAW task (docs/affect-tasks.md section 4) from per-video
 * prediction files in the annotation format (a folder with {@code <video>.txt}: the task's header
 * line, then line k+1 is frame k) and the test set's {@link SampleFile}: the header
 * {@code image_location,<columns>}, then one line per sample line, in sample order.
 *
 * <ul>
 *   <li>VA: the two values as given, clamped to [-1, 1]; either value -5 marks a frame as not predicted.
 *   <li>EXPR: the class index 0..7; -1 marks a frame as not predicted.
 *   <li>AU: twelve probabilities in [0, 1] (or 0/1), binarised with per-AU thresholds (1 when
 *       {@code p >= threshold}, default 0.5); any -1 marks a frame as not predicted.
 * </ul>
 *
 * A frame the sample lists but the predictions lack (beyond the file's end, or an invalid-marker
 * line) is filled from the nearest previous predicted frame of that video, else the next one. A
 * listed video with no prediction file, or with no predicted frame at all, is an error naming it.
 * The file is written atomically ({@link AtomicFiles}): on any error the target is untouched.
 */
public final class SubmissionWriter {
    /** The default AU threshold (the ABAW baseline's). */
    public static final float DEFAULT_AU_THRESHOLD = 0.5f;

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    /** What was written: submission lines (frames), videos, and frames filled from a neighbour. */
    public record Summary(int frames, int videos, int filled) {
        public String line() {
            return "frames " + frames + ", videos " + videos + ", filled from a neighbouring frame " + filled;
        }
    }

    /** One video's predictions: values row-major, and whether each frame (0-based row) is predicted. */
    private record Predictions(String video, float[] values, boolean[] valid, int[] previous, int[] next, int last) {
    }

    private SubmissionWriter() {
    }

    /** The default thresholds: {@link #DEFAULT_AU_THRESHOLD} for each of the 12 AUs. */
    public static float[] defaultThresholds() {
        float[] t = new float[AbawTask.AU.columns().size()];
        Arrays.fill(t, DEFAULT_AU_THRESHOLD);
        return t;
    }

    /** {@link #write(Path, SampleFile, Path, float[])} with the default AU thresholds. */
    public static Summary write(Path predictions, SampleFile sample, Path out) throws IOException {
        return write(predictions, sample, out, null);
    }

    /**
     * Writes the submission of {@code sample.task()} to {@code out}.
     *
     * @param predictions folder with one {@code <video>.txt} per video of the sample
     * @param thresholds AU only: 12 thresholds in [0, 1] in header order, or null for 0.5 each
     * @throws InvalidInputException (field {@code thresholds}) for a wrong count or value
     * @throws MissingPredictionException naming the video without prediction file or predicted frame
     * @throws AnnotationFormatException naming file and line for a malformed prediction file
     */
    public static Summary write(Path predictions, SampleFile sample, Path out, float[] thresholds) throws IOException {
        AbawTask task = sample.task();
        float[] t = thresholds(task, thresholds);
        List<String> missing = new ArrayList<>();
        for (String video : sample.videos()) {
            if (!Files.isRegularFile(predictions.resolve(video + ".txt"))) {
                missing.add(video);
            }
        }
        if (!missing.isEmpty()) {
            String shown = String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                    + (missing.size() > 5 ? ", ..." : "");
            throw new MissingPredictionException(missing.getFirst(), "no prediction file for " + (missing.size() == 1
                    ? "video " + shown : missing.size() + " videos (" + shown + ")") + " in " + predictions
                    + " (expected <video>.txt per video of the sample " + sample.file() + ")");
        }
        Map<String, Predictions> byVideo = new HashMap<>();
        for (String video : sample.videos()) {
            Predictions p = read(predictions.resolve(video + ".txt"), video, task);
            if (p.last() < 0) {
                throw new MissingPredictionException(video, "no predicted frame for video " + video + " in "
                        + predictions.resolve(video + ".txt") + " (every line is missing or the invalid marker)");
            }
            byVideo.put(video, p);
        }
        int stride = task.fields();
        int[] filled = {0};
        AtomicFiles.write(out, ch -> {
            Writer w = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8), 1 << 16);
            StringBuilder line = new StringBuilder(64);
            w.write(SampleFile.header(task));
            w.write('\n');
            for (SampleFile.Entry e : sample.entries()) {
                Predictions p = byVideo.get(e.video());
                int row = e.frame() - 1;
                int source;
                if (row < p.valid().length && p.valid()[row]) {
                    source = row;
                } else {
                    source = row >= p.valid().length ? p.last() : p.previous()[row] >= 0 ? p.previous()[row] : p.next()[row];
                    filled[0]++;
                }
                line.setLength(0);
                line.append(e.imageLocation());
                format(task, p.values(), source * stride, t, line);
                line.append('\n');
                w.append(line);
            }
            w.flush();
        });
        return new Summary(sample.entries().size(), sample.videos().size(), filled[0]);
    }

    private static float[] thresholds(AbawTask task, float[] thresholds) {
        if (thresholds == null) {
            return defaultThresholds();
        }
        int n = AbawTask.AU.columns().size();
        if (task != AbawTask.AU) {
            throw new InvalidInputException("thresholds", "only for the AU task, not " + task);
        }
        if (thresholds.length != n) {
            throw new InvalidInputException("thresholds", "expected " + n + " values (" + AbawTask.AU.header() + "), got "
                    + thresholds.length);
        }
        for (int i = 0; i < n; i++) {
            if (!(thresholds[i] >= 0f && thresholds[i] <= 1f)) {
                throw new InvalidInputException("thresholds", AbawTask.AU.columns().get(i) + " threshold " + thresholds[i]
                        + " is outside [0, 1]");
            }
        }
        return thresholds.clone();
    }

    private static void format(AbawTask task, float[] values, int offset, float[] thresholds, StringBuilder line) {
        switch (task) {
            case VA -> {
                for (int k = 0; k < 2; k++) {
                    line.append(',').append(plain(Math.clamp(values[offset + k], -1f, 1f)));
                }
            }
            case EXPR -> line.append(',').append((int) values[offset]);
            case AU -> {
                for (int k = 0; k < thresholds.length; k++) {
                    line.append(',').append(values[offset + k] >= thresholds[k] ? '1' : '0');
                }
            }
        }
    }

    /** The float's shortest round-trip decimal, without exponent or trailing zeros: 0.5, 1, -0.00001. */
    static String plain(float v) {
        return new BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static Predictions read(Path file, String video, AbawTask task) throws IOException {
        int stride = task.fields();
        float[] values = new float[stride * 1024];
        boolean[] valid = new boolean[1024];
        int frames = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new AnnotationFormatException(file, 1, "empty file, expected the " + task + " header '" + task.header() + "'");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            if (!header.equals(task.header())) {
                throw new AnnotationFormatException(file, 1, "expected the " + task + " header '" + task.header()
                        + "', got '" + header + "'");
            }
            float[] row = new float[stride];
            for (String line; (line = in.readLine()) != null; ) {
                boolean ok;
                try {
                    ok = parse(task, line, row);
                } catch (IllegalArgumentException e) {
                    throw new AnnotationFormatException(file, frames + 2, e.getMessage());
                }
                if (frames == valid.length) {
                    valid = Arrays.copyOf(valid, frames * 2);
                    values = Arrays.copyOf(values, frames * 2 * stride);
                }
                System.arraycopy(row, 0, values, frames * stride, stride);
                valid[frames] = ok;
                frames++;
            }
        }
        valid = Arrays.copyOf(valid, frames);
        int[] previous = new int[frames];
        int[] next = new int[frames];
        int last = -1;
        for (int i = 0; i < frames; i++) {
            previous[i] = last;
            if (valid[i]) {
                last = i;
            }
        }
        int following = -1;
        for (int i = frames - 1; i >= 0; i--) {
            next[i] = following;
            if (valid[i]) {
                following = i;
            }
        }
        return new Predictions(video, Arrays.copyOf(values, frames * stride), valid, previous, next, last);
    }

    /**
     * Parses one prediction line into {@code row}; false when it carries the invalid marker.
     *
     * @throws IllegalArgumentException with the reason for a malformed line
     */
    private static boolean parse(AbawTask task, String line, float[] row) {
        String[] parts = line.split(",", -1);
        if (parts.length != task.fields()) {
            throw new IllegalArgumentException("expected " + task.fields() + " comma-separated value"
                    + (task.fields() == 1 ? "" : "s") + " for " + task + ", got " + parts.length + ": '" + line + "'");
        }
        boolean ok = true;
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].strip();
            String column = task == AbawTask.EXPR ? "class" : task.columns().get(i);
            switch (task) {
                case VA -> {
                    row[i] = decimal(s, column);
                    ok &= row[i] != AbawTask.VA_INVALID;
                }
                case EXPR -> {
                    if (!INTEGER.matcher(s).matches()) {
                        throw new IllegalArgumentException(column + " is not an integer: '" + s + "'");
                    }
                    long v = s.length() > 12 ? Long.MAX_VALUE : Long.parseLong(s);
                    if (v < -1 || v > 7) {
                        throw new IllegalArgumentException(column + " " + s + " is outside 0..7 and not the invalid marker -1");
                    }
                    row[i] = v;
                    ok &= v != -1;
                }
                case AU -> {
                    row[i] = decimal(s, column);
                    if (row[i] == AbawTask.CLASS_INVALID) {
                        ok = false;
                    } else if (!(row[i] >= 0f && row[i] <= 1f)) {
                        throw new IllegalArgumentException(column + " " + s
                                + " is outside [0, 1] (a probability or 0/1) and not the invalid marker -1");
                    }
                }
            }
        }
        return ok;
    }

    private static float decimal(String s, String column) {
        if (!DECIMAL.matcher(s).matches()) {
            throw new IllegalArgumentException(column + " is not a number: '" + s + "'");
        }
        float v = Float.parseFloat(s);
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(column + " is out of range: '" + s + "'");
        }
        return v;
    }
}
