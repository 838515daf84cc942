package dev.affect.engine.data.synth;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes a synthetic dataset in exactly the ABAW / Aff-Wild2 release layout:
 * {@code <Task folder>/<Train_Set|Validation_Set>/<video>.txt} for the VA, EXPR and AU tasks (every video in all
 * three, the same split) and {@code cropped_aligned/<video>/NNNNN.jpg} (112x112 JPEG, 1-based, 5 digits).
 * Faces are drawn procedurally and their geometry encodes the labels (see {@link FaceRenderer}); expressions
 * are AU combinations, valence/arousal follow the expression and its intensity, and everything moves
 * smoothly in time. Each frame also carries what a camera adds and no label describes ({@link FrameNuisance}:
 * sensor noise, exposure flicker, blinks, short occlusions), so a single frame can mislead where its
 * neighbours do not. A few per cent of the label lines are invalid markers and a few per cent of the frames
 * have no image. Deterministic: the same (videos, frames, seed) gives byte-identical files.
 */
public final class SyntheticAbaw {
    // the layout's names come from the reader's own definitions, so writer and reader cannot drift apart
    public static final String VA_FOLDER = AbawTask.VA.folder();
    public static final String EXPR_FOLDER = AbawTask.EXPR.folder();
    public static final String AU_FOLDER = AbawTask.AU.folder();
    public static final String TRAIN_SET = AbawSplit.TRAIN.folder();
    public static final String VALIDATION_SET = AbawSplit.VALIDATION.folder();
    public static final String IMAGES_FOLDER = "cropped_aligned";
    public static final String VA_HEADER = AbawTask.VA.header();
    public static final String EXPR_HEADER = AbawTask.EXPR.header();
    public static final String AU_HEADER = AbawTask.AU.header();
    public static final String VA_INVALID = "-5,-5";
    public static final String EXPR_INVALID = "-1";
    public static final String AU_INVALID = "-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1";
    /** Image side in pixels. */
    public static final int IMAGE_SIZE = FaceRenderer.SIZE;
    /** Frame numbers have 5 digits. */
    public static final int MAX_FRAMES = 99_999;

    /** What {@link #write} produced; {@code frames} counts all frames of all videos, {@code invalidLabels} all three tasks' invalid lines. */
    public record Summary(int videos, int frames, int images, int invalidLabels, int missingImages,
            List<String> trainVideos, List<String> validationVideos) {
        public Summary {
            trainVideos = List.copyOf(trainVideos);
            validationVideos = List.copyOf(validationVideos);
        }

        /** One line for a command's output. */
        public String line() {
            return "videos " + videos + " (train " + trainVideos.size() + ", validation " + validationVideos.size()
                    + "), frames " + frames + ", images written " + images + ", invalid labels " + invalidLabels
                    + ", missing images " + missingImages;
        }
    }

    private SyntheticAbaw() {
    }

    /**
     * Writes {@code videos} videos of {@code frames} frames each under {@code out}, which must not exist or be an
     * empty directory.
     *
     * @throws InvalidInputException naming {@code out}, {@code videos} or {@code frames} for bad arguments
     */
    public static Summary write(Path out, int videos, int frames, long seed) throws IOException {
        if (videos < 1) {
            throw new InvalidInputException("videos", "must be at least 1, got " + videos);
        }
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new InvalidInputException("frames", "must be in 1.." + MAX_FRAMES + ", got " + frames);
        }
        requireEmpty(out);
        List<String> names = videoNames(videos);
        int validation = videos < 2 ? 0 : Math.max(1, (int) Math.round(videos * 0.2));
        List<String> train = names.subList(0, videos - validation);
        List<String> valid = names.subList(videos - validation, videos);

        SplittableRandom master = new SplittableRandom(seed);
        int images = 0;
        int invalid = 0;
        int missing = 0;
        for (int v = 0; v < videos; v++) {
            String name = names.get(v);
            String set = v < train.size() ? TRAIN_SET : VALIDATION_SET;
            SplittableRandom rng = master.split();
            FaceRenderer renderer = new FaceRenderer(rng.split());
            FrameTrack track = new FrameTrack(frames, rng.split());
            boolean[] noImage = new boolean[frames];
            boolean[][] bad = new boolean[3][frames];
            SplittableRandom gaps = rng.split();
            FrameNuisance nuisance = new FrameNuisance(frames, rng.split()); // after the label streams: labels stay as they were
            int runs = frames >= 10 ? Math.max(1, (int) Math.round(frames * 0.03 / 3.5)) : 0;
            for (int r = 0; r < runs; r++) {
                int len = 1 + gaps.nextInt(Math.min(6, frames / 10));
                int start = gaps.nextInt(frames - len + 1);
                boolean labelled = gaps.nextBoolean();
                for (int f = start; f < start + len; f++) {
                    noImage[f] = true;
                    for (int task = 0; task < 3; task++) {
                        bad[task][f] |= !labelled;
                    }
                }
            }
            for (int task = 0; task < 3; task++) {
                for (int r = 0; r < runs; r++) {
                    int len = 2 + gaps.nextInt(Math.max(1, Math.min(7, frames / 8)));
                    len = Math.min(len, frames);
                    int start = gaps.nextInt(frames - len + 1);
                    for (int f = start; f < start + len; f++) {
                        bad[task][f] = true;
                    }
                }
            }

            StringBuilder va = new StringBuilder(VA_HEADER).append('\n');
            StringBuilder expr = new StringBuilder(EXPR_HEADER).append('\n');
            StringBuilder au = new StringBuilder(AU_HEADER).append('\n');
            for (int f = 0; f < frames; f++) {
                va.append(bad[0][f] ? VA_INVALID : number(track.valence[f]) + "," + number(track.arousal[f])).append('\n');
                expr.append(bad[1][f] ? EXPR_INVALID : Integer.toString(track.expression[f])).append('\n');
                if (bad[2][f]) {
                    au.append(AU_INVALID);
                } else {
                    for (int a = 0; a < FrameTrack.AU_COUNT; a++) {
                        au.append(a == 0 ? "" : ",").append(track.auOn(f, a) ? '1' : '0');
                    }
                }
                au.append('\n');
                for (int task = 0; task < 3; task++) {
                    invalid += bad[task][f] ? 1 : 0;
                }
            }
            writeText(out.resolve(VA_FOLDER).resolve(set).resolve(name + ".txt"), va);
            writeText(out.resolve(EXPR_FOLDER).resolve(set).resolve(name + ".txt"), expr);
            writeText(out.resolve(AU_FOLDER).resolve(set).resolve(name + ".txt"), au);

            Path dir = Files.createDirectories(out.resolve(IMAGES_FOLDER).resolve(name));
            for (int f = 0; f < frames; f++) {
                if (noImage[f]) {
                    missing++;
                    continue;
                }
                writeImage(dir.resolve(frameFile(f + 1)), renderer.render(track, f, nuisance));
                images++;
            }
        }
        return new Summary(videos, videos * frames, images, invalid, missing, train, valid);
    }

    /** {@code 00001.jpg} for frame 1. */
    public static String frameFile(int frame) {
        return String.format(Locale.ROOT, "%05d.jpg", frame);
    }

    /** Names in Aff-Wild2 style (id-fps-resolution); the first two are one video's {@code _left}/{@code _right} subjects. */
    static List<String> videoNames(int videos) {
        List<String> names = new ArrayList<>(videos);
        if (videos >= 2) {
            names.add("1-30-640x480_left");
            names.add("1-30-640x480_right");
        }
        for (int i = names.size(); i < videos; i++) {
            names.add((i + 1) + "-30-1280x720");
        }
        return names;
    }

    private static String number(double x) {
        String s = String.format(Locale.ROOT, "%.3f", x);
        return s.equals("-0.000") ? "0.000" : s;
    }

    private static void requireEmpty(Path out) throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new InvalidInputException("out", out + " exists and is not a directory");
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new InvalidInputException("out", out + " exists and is not empty");
            }
        }
    }

    private static void writeText(Path file, CharSequence text) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Temporary name then rename, so a reader never sees half a JPEG; no fsync per frame (thousands of them),
     * the folder is fresh and a crashed run is simply rerun.
     */
    private static void writeImage(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        if (!ImageIO.write(image, "jpg", bytes)) {
            throw new IllegalStateException("no JPEG writer in this JDK");
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
