package dev.affect.engine.data.abaw;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One {@code <video>.txt} of an ABAW task: the exact header on line 1, then line k+1 is the label
 * of frame k (1-based, the image {@code cropped_aligned/<video>/<k as 5 digits>.jpg}). Labels are
 * kept as they are in the file, invalid markers included; {@link Curation} decides what to drop.
 * Immutable.
 */
public final class AnnotationFile {
    private final Path file;
    private final String video;
    private final AbawTask task;
    private final float[] values;
    private final int frames;

    private AnnotationFile(Path file, String video, AbawTask task, float[] values, int frames) {
        this.file = file;
        this.video = video;
        this.task = task;
        this.values = values;
        this.frames = frames;
    }

    /**
     * Reads and checks a whole file. The video name is the file name without {@code .txt}.
     *
     * @throws AnnotationFormatException naming file and line for a wrong header or a malformed line
     *     (an empty file is a missing header at line 1)
     */
    public static AnnotationFile read(Path file, AbawTask task) throws IOException {
        String name = file.getFileName().toString();
        String video = name.endsWith(".txt") ? name.substring(0, name.length() - 4) : name;
        int stride = task.fields();
        float[] values = new float[stride * 1024];
        int frames = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new AnnotationFormatException(file, 1, "empty file, expected the " + task + " header '" + task.header() + "'");
            }
            if (!header.equals(task.header())) {
                throw new AnnotationFormatException(file, 1, "expected the " + task + " header '" + task.header()
                        + "', got '" + header + "'");
            }
            for (String line; (line = in.readLine()) != null; ) {
                float[] label;
                try {
                    label = task.parse(line);
                } catch (IllegalArgumentException e) {
                    throw new AnnotationFormatException(file, frames + 2, e.getMessage());
                }
                if ((frames + 1) * stride > values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                System.arraycopy(label, 0, values, frames * stride, stride);
                frames++;
            }
        }
        return new AnnotationFile(file, video, task, Arrays.copyOf(values, frames * stride), frames);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The video (or {@code _left}/{@code _right} subject) name: the file name without {@code .txt}. */
    public String video() {
        return video;
    }

    public AbawTask task() {
        return task;
    }

    /** Number of frames, i.e. data lines. */
    public int frames() {
        return frames;
    }

    /** A copy of frame {@code frame}'s label (1-based, as in the image names). */
    public float[] label(int frame) {
        checkFrame(frame);
        int stride = task.fields();
        return Arrays.copyOfRange(values, (frame - 1) * stride, frame * stride);
    }

    /** Whether frame {@code frame} (1-based) carries the task's invalid marker. */
    public boolean isInvalid(int frame) {
        return task.isInvalid(label(frame));
    }

    private void checkFrame(int frame) {
        if (frame < 1 || frame > frames) {
            throw new IndexOutOfBoundsException("frame " + frame + " of " + video + " (" + task + "): valid frames are 1.." + frames);
        }
    }
}
