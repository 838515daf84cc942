package dev.affect.engine.data.abaw;

import dev.affect.engine.InvalidInputException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Aff-Wild2 release on disk (docs/affect-tasks.md sections 2-3): annotation folders
 * {@code <task folder>/<Train_Set|Validation_Set>/<video>.txt} and aligned crops
 * {@code cropped_aligned/<video>/NNNNN.jpg}. Two-person videos appear as two subjects
 * {@code X_left} and {@code X_right}, each with its own file and image folder; they are listed as
 * separate videos ({@link #sourceVideo} gives {@code X}). Frames without a face have no image.
 * Stateless apart from the two paths; safe to share between threads.
 */
public final class AbawDataset {
    /** The aligned crops folder under the release root. */
    public static final String IMAGES = "cropped_aligned";

    private static final Pattern IMAGE_NAME = Pattern.compile("(\\d{5})\\.jpg");

    private final Path annotations;
    private final Path images;
    /** Per task, the training videos held out as the validation split; null when the release's own split is used. */
    private final Map<AbawTask, Set<String>> heldOut;

    private AbawDataset(Path annotations, Path images, Map<AbawTask, Set<String>> heldOut) {
        this.annotations = annotations;
        this.images = images;
        this.heldOut = heldOut;
    }

    /** A root holding both the task folders and {@code cropped_aligned/}. */
    public static AbawDataset open(Path root) throws IOException {
        return open(root, root.resolve(IMAGES));
    }

    /**
     * Annotation folders under {@code annotations}, image folders under {@code images}.
     *
     * @throws NoSuchFileException when either folder is missing
     * @throws IOException when the annotation root holds none of the three task folders
     */
    public static AbawDataset open(Path annotations, Path images) throws IOException {
        requireDirectory(annotations);
        requireDirectory(images);
        boolean any = false;
        for (AbawTask task : AbawTask.values()) {
            any |= Files.isDirectory(annotations.resolve(task.folder()));
        }
        if (!any) {
            throw new IOException(annotations + ": not an ABAW annotation root, it holds none of the task folders "
                    + "VA_Estimation_Challenge, EXPR_Recognition_Challenge, AU_Detection_Challenge");
        }
        return new AbawDataset(annotations, images, null);
    }

    /**
     * This release with a fraction of its training videos as the validation split instead of its own:
     * per task, the training videos grouped by {@link #sourceVideo} (so a video's two subjects stay
     * on one side), shuffled by {@code seed}, and {@code round(fraction * groups)} of them (at least
     * one, and never all) held out. Deterministic for a release, fraction and seed.
     *
     * @throws InvalidInputException naming {@code validation_split} when the fraction is not in (0, 1)
     *     or a task has a single training video to split
     */
    public AbawDataset holdingOut(double fraction, long seed) throws IOException {
        if (!(fraction > 0 && fraction < 1)) {
            throw new InvalidInputException("validation_split", "must be in (0, 1), got " + fraction);
        }
        Map<AbawTask, Set<String>> out = new EnumMap<>(AbawTask.class);
        for (AbawTask task : AbawTask.values()) {
            Map<String, List<String>> bySource = new TreeMap<>();
            for (String v : videos(task, AbawSplit.TRAIN)) {
                bySource.computeIfAbsent(sourceVideo(v), k -> new ArrayList<>()).add(v);
            }
            List<String> sources = new ArrayList<>(bySource.keySet());
            if (sources.isEmpty()) {
                continue;
            }
            if (sources.size() < 2) {
                throw new InvalidInputException("validation_split", task + " has one training video (" + sources.getFirst()
                        + "): nothing to hold out and still train on");
            }
            java.util.Collections.shuffle(sources, new java.util.Random(seed));
            int n = (int) Math.max(1, Math.min(sources.size() - 1, Math.round(fraction * sources.size())));
            Set<String> held = new TreeSet<>();
            for (String source : sources.subList(0, n)) {
                held.addAll(bySource.get(source));
            }
            out.put(task, Set.copyOf(held));
        }
        return new AbawDataset(annotations, images, Map.copyOf(out));
    }

    private static void requireDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
    }

    public Path annotationRoot() {
        return annotations;
    }

    public Path imageRoot() {
        return images;
    }

    /** The annotation folder of a task and split (it may not exist: then the split has no videos). */
    public Path annotationFolder(AbawTask task, AbawSplit split) {
        return annotations.resolve(task.folder()).resolve(split.folder());
    }

    /**
     * The videos (and {@code _left}/{@code _right} subjects) annotated for a task and split, sorted by
     * name; with {@link #holdingOut} the held-out training videos are the validation split.
     */
    public List<String> videos(AbawTask task, AbawSplit split) throws IOException {
        if (heldOut == null) {
            return listed(task, split);
        }
        Set<String> held = heldOut.getOrDefault(task, Set.of());
        if (split == AbawSplit.VALIDATION) {
            return new ArrayList<>(new TreeSet<>(held));
        }
        List<String> train = listed(task, split);
        train.removeAll(held);
        return train;
    }

    private List<String> listed(AbawTask task, AbawSplit split) throws IOException {
        Path folder = annotationFolder(task, split);
        List<String> videos = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return videos;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.txt")) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    String name = f.getFileName().toString();
                    videos.add(name.substring(0, name.length() - 4));
                }
            }
        }
        videos.sort(null);
        return videos;
    }

    /** Reads and checks the annotation file of one video. */
    public AnnotationFile annotations(AbawTask task, AbawSplit split, String video) throws IOException {
        AbawSplit stored = heldOut != null && split == AbawSplit.VALIDATION ? AbawSplit.TRAIN : split;
        return AnnotationFile.read(annotationFolder(task, stored).resolve(video + ".txt"), task);
    }

    /** The image of a frame (1-based) whether or not it exists: {@code cropped_aligned/<video>/NNNNN.jpg}. */
    public Path imagePath(String video, int frame) {
        return images.resolve(video).resolve(String.format("%05d.jpg", frame));
    }

    /**
     * The frames of a video that have an image, as a set of 1-based indices, from one listing of
     * its folder (empty when the video has no image folder).
     */
    public BitSet framesWithImage(String video) throws IOException {
        BitSet present = new BitSet();
        Path dir = images.resolve(video);
        if (!Files.isDirectory(dir)) {
            return present;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = IMAGE_NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    present.set(Integer.parseInt(m.group(1)));
                }
            }
        }
        return present;
    }

    /** Every annotated frame of a video in order, with its image where one exists. */
    public List<AbawFrame> frames(AbawTask task, AbawSplit split, String video) throws IOException {
        AnnotationFile file = annotations(task, split, video);
        BitSet present = framesWithImage(video);
        List<AbawFrame> frames = new ArrayList<>(file.frames());
        for (int k = 1; k <= file.frames(); k++) {
            Optional<Path> image = present.get(k) ? Optional.of(imagePath(video, k)) : Optional.empty();
            frames.add(new AbawFrame(task, video, k, file.label(k), image));
        }
        return frames;
    }

    /** The raw video of a subject: {@code X} for {@code X_left} or {@code X_right}, else the name itself. */
    public static String sourceVideo(String video) {
        if (video.endsWith("_left")) {
            return video.substring(0, video.length() - 5);
        }
        if (video.endsWith("_right")) {
            return video.substring(0, video.length() - 6);
        }
        return video;
    }
}
