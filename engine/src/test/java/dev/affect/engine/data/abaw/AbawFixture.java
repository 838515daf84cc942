package dev.affect.engine.data.abaw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a small ABAW release in the exact layout: annotation files and empty placeholder images. */
final class AbawFixture {
    private final Path root;

    AbawFixture(Path root) {
        this.root = root;
    }

    /** {@code <task folder>/<split folder>/<video>.txt}: the task's header, then the lines. */
    Path annotations(AbawTask task, AbawSplit split, String video, String... lines) throws IOException {
        Path dir = root.resolve(task.folder()).resolve(split.folder());
        Files.createDirectories(dir);
        List<String> all = new ArrayList<>();
        all.add(task.header());
        all.addAll(List.of(lines));
        return Files.write(dir.resolve(video + ".txt"), all);
    }

    /** {@code cropped_aligned/<video>/NNNNN.jpg} for the given 1-based frames (and the folder, even when none). */
    void images(String video, int... frames) throws IOException {
        Path dir = root.resolve(AbawDataset.IMAGES).resolve(video);
        Files.createDirectories(dir);
        for (int k : frames) {
            Files.write(dir.resolve(String.format("%05d.jpg", k)), new byte[] {(byte) 0xFF, (byte) 0xD8});
        }
    }

    /**
     * The dataset the curation tests count (expected rows in {@link CurationTest}): VA with a
     * {@code _left}/{@code _right} pair, EXPR with no validation folder, AU with a pair in validation.
     */
    static void standard(Path root) throws IOException {
        AbawFixture f = new AbawFixture(root);
        // VA train: 3 videos, 12 frames; invalid: 1-30 frames 2 (-5,-5) and 4 (one -5, image missing too);
        // no image: _left frame 2. Kept 9.
        f.annotations(AbawTask.VA, AbawSplit.TRAIN, "1-30-1280x720", "0.264,0.135", "-5,-5", "-1,1", "0.5,-5", "0,0");
        f.images("1-30-1280x720", 1, 2, 3, 5);
        f.annotations(AbawTask.VA, AbawSplit.TRAIN, "10-60-1280x720_left", "0.1,0.2", "0.3,0.4", "-0.5,-0.6");
        f.images("10-60-1280x720_left", 1, 3);
        f.annotations(AbawTask.VA, AbawSplit.TRAIN, "10-60-1280x720_right", "1,1", "-1,-1", "0.25,0.75", "1e-1,.5");
        f.images("10-60-1280x720_right", 1, 2, 3, 4);
        // VA validation: 1 video, 3 frames; invalid frame 1, no image frame 3. Kept 1.
        f.annotations(AbawTask.VA, AbawSplit.VALIDATION, "video10_1", "-5,-5", "0.1,0.1", "0.2,0.2");
        f.images("video10_1", 2);
        // EXPR train: 2 videos, 6 frames; invalid a frame 3; b has no image folder at all (2 frames). Kept 3.
        f.annotations(AbawTask.EXPR, AbawSplit.TRAIN, "118-30-640x480", "0", "7", "-1", "3");
        f.images("118-30-640x480", 1, 2, 3, 4);
        f.annotations(AbawTask.EXPR, AbawSplit.TRAIN, "video2", "4", "4");
        // AU train: 1 video, 3 frames; invalid frames 2 (all -1) and 3 (one -1). Kept 1.
        f.annotations(AbawTask.AU, AbawSplit.TRAIN, "video3", "0,0,0,0,0,0,0,0,0,0,0,0",
                "-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1", "1,1,1,1,1,1,1,1,1,1,1,-1");
        f.images("video3", 1, 2);
        // AU validation: a _left/_right pair, 3 frames; no image: _left frame 2. Kept 2.
        f.annotations(AbawTask.AU, AbawSplit.VALIDATION, "20-24-1920x1080_left", "1,0,1,0,1,0,1,0,1,0,1,0",
                "0,1,0,1,0,1,0,1,0,1,0,1");
        f.images("20-24-1920x1080_left", 1);
        f.annotations(AbawTask.AU, AbawSplit.VALIDATION, "20-24-1920x1080_right", "0,0,0,0,0,0,0,0,0,0,0,1");
        f.images("20-24-1920x1080_right", 1);
    }
}
