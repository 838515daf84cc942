package dev.affect.engine.data.submission;

import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.abaw.AnnotationFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-set sample file of one ABAW task (docs/affect-tasks.md section 4): the exact submission
 * header {@code image_location,<task columns>}, then one line per frame to predict, starting with
 * {@code <video>/<NNNNN>.jpg} and optionally followed by commas/placeholders (ignored). The order of
 * the lines is the order of the submission. Immutable.
 */
public final class SampleFile {
    /** One frame to predict: its image location as written in the sample, the video and the 1-based frame. */
    public record Entry(String imageLocation, String video, int frame) {
    }

    private static final Pattern LOCATION = Pattern.compile("([^/,\\s]+)/(\\d{5,})\\.jpg");

    private final Path file;
    private final AbawTask task;
    private final List<Entry> entries;
    private final SequencedSet<String> videos;

    private SampleFile(Path file, AbawTask task, List<Entry> entries, SequencedSet<String> videos) {
        this.file = file;
        this.task = task;
        this.entries = entries;
        this.videos = videos;
    }

    /** The exact first line of a sample and a submission file of {@code task}, e.g. {@code image_location,valence,arousal}. */
    public static String header(AbawTask task) {
        return "image_location," + task.header();
    }

    /**
     * Reads and checks a whole sample file.
     *
     * @throws AnnotationFormatException naming file and line for a wrong header (an empty file is a
     *     missing header at line 1) or a line that does not start with {@code <video>/<NNNNN>.jpg}
     */
    public static SampleFile read(Path file, AbawTask task) throws IOException {
        List<Entry> entries = new ArrayList<>();
        SequencedSet<String> videos = new LinkedHashSet<>();
        String expected = header(task);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new AnnotationFormatException(file, 1, "empty file, expected the " + task + " header '" + expected + "'");
            }
            header = stripBom(header);
            if (!header.equals(expected)) {
                throw new AnnotationFormatException(file, 1, "expected the " + task + " header '" + expected
                        + "', got '" + header + "'");
            }
            int lineNo = 1;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                int comma = line.indexOf(',');
                String location = comma < 0 ? line : line.substring(0, comma);
                Matcher m = LOCATION.matcher(location);
                if (!m.matches()) {
                    throw new AnnotationFormatException(file, lineNo, "expected '<video>/<NNNNN>.jpg' at the start of the line, got '"
                            + line + "'");
                }
                int frame;
                try {
                    frame = Integer.parseInt(m.group(2));
                } catch (NumberFormatException e) {
                    frame = 0;
                }
                if (frame < 1) {
                    throw new AnnotationFormatException(file, lineNo, "frame number must be 1 or more (00001.jpg is the first frame), got '"
                            + location + "'");
                }
                entries.add(new Entry(location, m.group(1), frame));
                videos.add(m.group(1));
            }
        }
        return new SampleFile(file, task, List.copyOf(entries), java.util.Collections.unmodifiableSequencedSet(videos));
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    public AbawTask task() {
        return task;
    }

    /** The frames to predict, in file (= submission) order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The videos the sample lists, in order of first appearance. */
    public SequencedSet<String> videos() {
        return videos;
    }
}
