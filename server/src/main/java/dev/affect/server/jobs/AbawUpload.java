package dev.affect.server.jobs;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.image.ImageDimensions;
import dev.affect.engine.image.ImageFormatException;
import dev.affect.engine.image.PixelBudget;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Labelled frames streamed by a client, written as they arrive as an ABAW root (the layout
 * {@link AbawDataset} reads) under a staging folder, then moved into place in one rename. Only one
 * video is open at a time (its annotation writers), so memory does not grow with the upload; the
 * bytes written are counted against a cap before they are written.
 *
 * <p>For each video and task, an annotation file exists when any of the video's frames has a label
 * for the task: one line per frame up to the video's last index, the task's invalid marker where a
 * frame has none. Images keep the client's bytes under the {@code NNNNN.jpg} name: the reader decodes
 * by content, and a PNG is accepted there as well.
 *
 * <p>Errors name the frame as the caller calls it ({@code at}, e.g. {@code frames[12]}) and the
 * request's field ({@code .video}, {@code .split}, {@code .index}, {@code .frame.image}). Not
 * thread-safe: one upload is fed by one call's messages in order.
 */
public final class AbawUpload implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AbawUpload.class.getName());
    /** Longest video name accepted. */
    public static final int MAX_VIDEO_NAME = 200;
    /** Image names have 5 digits. */
    public static final int MAX_INDEX = 99_999;
    // no separators, no leading dot (so never "." or ".."), nothing a file system treats specially
    private static final Pattern VIDEO_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private final Path root;
    private final long maxBytes;
    private final PixelBudget budget = PixelBudget.defaults();
    private final Set<String> videos = new HashSet<>();
    // videos per split that have an annotation file for the task
    private final Map<AbawSplit, Map<AbawTask, Integer>> annotated = new EnumMap<>(AbawSplit.class);
    private Video current;
    private long bytes;
    private long frames;
    private boolean moved;
    private boolean closed;

    /**
     * @param root     an empty staging folder, deleted by {@link #close()} unless moved
     * @param maxBytes the most bytes (images and annotation lines) the upload may write
     */
    public AbawUpload(Path root, long maxBytes) {
        this.root = Objects.requireNonNull(root, "root");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The staging folder. */
    public Path root() {
        return root;
    }

    /** Bytes written so far. */
    public long bytes() {
        return bytes;
    }

    /** Frames accepted so far. */
    public long frames() {
        return frames;
    }

    /**
     * Writes one frame.
     *
     * @param at     the frame's name in errors, e.g. {@code frames[12]}
     * @param split  the video's split; null only for a video's later frames (then the video's own)
     * @param index  1-based index in the video, above the video's previous one; 0 = the next one
     * @param image  an encoded JPEG or PNG, or null for a frame without a face
     * @param labels the frame's label per task, values already checked against the task's ranges
     * @throws InvalidInputException  naming the field: a bad video name, a video that already ended, a
     *                                split that changes, an index out of order, an image that is not one
     * @throws UploadTooLargeException when the frame would take the upload past its cap
     */
    public void frame(String at, String video, AbawSplit split, int index, byte[] image, Map<AbawTask, float[]> labels) {
        if (closed || moved) {
            throw new IllegalStateException("the upload has ended");
        }
        if (current == null || !current.name.equals(video)) {
            checkName(at + ".video", video);
            if (split == null) {
                throw new InvalidInputException(at + ".split", "required on the first frame of video '" + video
                        + "': DATA_SPLIT_TRAIN or DATA_SPLIT_VALIDATION");
            }
            if (videos.contains(video)) {
                throw new InvalidInputException(at + ".video", "video '" + video + "' already ended; send each video's"
                        + " frames together");
            }
            endVideo();
            videos.add(video);
            current = new Video(video, split);
        } else if (split != null && split != current.split) {
            throw new InvalidInputException(at + ".split", "video '" + video + "' is in " + current.split.label()
                    + ", not " + split.label() + "; a video belongs to one split");
        }
        int k = index == 0 ? current.last + 1 : index;
        if (k <= current.last) {
            throw new InvalidInputException(at + ".index", "frame " + k + " of video '" + video + "' comes after frame "
                    + current.last + (k == current.last ? " (a duplicate)" : "") + "; frames go in increasing order");
        }
        if (k > MAX_INDEX) {
            throw new InvalidInputException(at + ".index", "must be at most " + MAX_INDEX + ", got " + k);
        }
        if (image != null) {
            checkImage(at + ".frame.image", image);
        }
        try {
            current.write(k, image, labels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload under " + root, e);
        }
        frames++;
    }

    /**
     * Ends the last video and checks that the job can train on what came: at least one video of
     * each split annotated for {@code task} (training videos only when the job holds some out for
     * validation). Every file is flushed to disk.
     *
     * @throws InvalidInputException naming {@code frames} when a split has no video for the task
     */
    public void finish(AbawTask task, boolean holdsOut) {
        endVideo();
        for (AbawSplit split : AbawSplit.values()) {
            if (split == AbawSplit.VALIDATION && holdsOut) {
                continue;
            }
            if (annotated.getOrDefault(split, Map.of()).getOrDefault(task, 0) == 0) {
                throw new InvalidInputException("frames", "no " + protoSplit(split) + " video has a " + task
                        + " label; the job trains on the train split and validates on the validation split");
            }
        }
        try {
            Files.createDirectories(root.resolve(AbawDataset.IMAGES)); // the reader wants it, faces or not
            syncTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the upload under " + root, e);
        }
    }

    /** Moves the finished folder to {@code target} (which must not exist) in one rename. */
    public Path moveTo(Path target) throws IOException {
        if (moved || closed) {
            throw new IllegalStateException("the upload has ended");
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(root, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + root + " to " + target + " atomically", e);
        }
        moved = true;
        sync(target.getParent(), true);
        return target;
    }

    /** Deletes what was written unless it was moved into place. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.closeQuietly();
        }
        if (!moved) {
            try {
                deleteTree(root);
            } catch (UncheckedIOException e) {
                // the next server start deletes it (JobStore.discardStaging)
                LOG.log(System.Logger.Level.WARNING, "cannot delete the unfinished upload " + root + ": " + e.getMessage());
            }
        }
    }

    /** Deletes a folder and everything in it; a folder that is gone already is fine. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private void endVideo() {
        if (current == null) {
            return;
        }
        Video v = current;
        current = null;
        try {
            for (AbawTask task : v.files.keySet()) {
                annotated.computeIfAbsent(v.split, s -> new EnumMap<>(AbawTask.class)).merge(task, 1, Integer::sum);
            }
            v.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload under " + root, e);
        }
    }

    private static void checkName(String field, String video) {
        if (video.isEmpty()) {
            throw new InvalidInputException(field, "required: the video the frame belongs to");
        }
        if (video.length() > MAX_VIDEO_NAME) {
            throw new InvalidInputException(field, "at most " + MAX_VIDEO_NAME + " characters, got " + video.length());
        }
        if (!VIDEO_NAME.matcher(video).matches()) {
            throw new InvalidInputException(field, "'" + video + "' is not a video name: use letters, digits, '.', '_'"
                    + " and '-', not starting with '.' (it names a folder on the server)");
        }
    }

    private void checkImage(String field, byte[] image) {
        try {
            budget.check(ImageDimensions.of(image, field), field);
        } catch (ImageFormatException e) {
            throw new InvalidInputException(field, e.getMessage() + " (an encoded JPEG or PNG face crop)", e);
        }
    }

    private void count(long more) {
        if (bytes + more > maxBytes) {
            throw new UploadTooLargeException("the upload passes the server's limit of " + maxBytes + " bytes per upload"
                    + " (affect serve --max-upload-bytes); send fewer or smaller frames");
        }
        bytes += more;
    }

    private static String protoSplit(AbawSplit split) {
        return "DATA_SPLIT_" + split.name();
    }

    private static String line(AbawTask task, float[] label) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < label.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            // Float.toString gives the shortest decimal that reads back as the same float
            s.append(task == AbawTask.VA ? Float.toString(label[i]) : Integer.toString((int) label[i]));
        }
        return s.append('\n').toString();
    }

    private static String invalidLine(AbawTask task) {
        float[] marker = new float[task.fields()];
        java.util.Arrays.fill(marker, task == AbawTask.VA ? AbawTask.VA_INVALID : AbawTask.CLASS_INVALID);
        return line(task, marker);
    }

    private static void syncTree(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList(); // files before their folders
        }
        for (Path p : all) {
            sync(p, Files.isDirectory(p));
        }
    }

    private static void sync(Path p, boolean directory) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw new UncheckedIOException("cannot flush " + p, e);
            }
            // some file systems cannot fsync a folder; the files themselves are on disk
        }
    }

    /** The video being written: its split, last index and one annotation writer per labelled task. */
    private final class Video {
        final String name;
        final AbawSplit split;
        final Map<AbawTask, TaskFile> files = new EnumMap<>(AbawTask.class);
        int last;
        Path images;

        Video(String name, AbawSplit split) {
            this.name = name;
            this.split = split;
        }

        void write(int k, byte[] image, Map<AbawTask, float[]> labels) throws IOException {
            for (Map.Entry<AbawTask, float[]> l : labels.entrySet()) {
                AbawTask task = l.getKey();
                String line = line(task, l.getValue());
                TaskFile f = files.get(task);
                int missing = k - 1 - (f == null ? 0 : f.lines);
                count((f == null ? task.header().length() + 1 : 0) + (long) missing * invalidLine(task).length()
                        + line.length());
                if (f == null) {
                    f = new TaskFile(task, root.resolve(task.folder()).resolve(split.folder()).resolve(name + ".txt"));
                    files.put(task, f);
                }
                f.padTo(k - 1);
                f.append(line);
            }
            if (image != null) {
                count(image.length);
                if (images == null) {
                    images = Files.createDirectories(root.resolve(AbawDataset.IMAGES).resolve(name));
                }
                Files.write(images.resolve(String.format(java.util.Locale.ROOT, "%05d.jpg", k)), image,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            last = k;
        }

        /** Pads every file to the video's last frame and closes it. */
        void end() throws IOException {
            try {
                for (TaskFile f : files.values()) {
                    count((long) (last - f.lines) * invalidLine(f.task).length());
                    f.padTo(last);
                }
            } finally {
                closeQuietly();
            }
        }

        void closeQuietly() {
            for (TaskFile f : files.values()) {
                try {
                    f.out.close();
                } catch (IOException e) {
                    // the upload is failing or being deleted anyway
                }
            }
        }
    }

    /** One annotation file being written: header first, then one line per frame. */
    private static final class TaskFile {
        final AbawTask task;
        final BufferedWriter out;
        final String invalid;
        int lines;

        TaskFile(AbawTask task, Path file) throws IOException {
            this.task = task;
            Files.createDirectories(file.getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            this.invalid = invalidLine(task);
            out.write(task.header());
            out.write('\n');
        }

        void padTo(int frames) throws IOException {
            while (lines < frames) {
                out.write(invalid);
                lines++;
            }
        }

        void append(String line) throws IOException {
            out.write(line);
            lines++;
        }
    }
}
