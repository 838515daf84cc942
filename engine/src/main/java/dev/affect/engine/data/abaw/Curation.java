package dev.affect.engine.data.abaw;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The paper's curation (Table 1): drop frames whose label carries the invalid marker (VA -5, EXPR
 * -1, AU -1) and frames with no aligned image; {@link #summarize} gives the Table 2 counts per task
 * and split. A frame that is both invalid and imageless counts as dropped invalid only, so
 * {@code framesBefore == framesAfter + droppedInvalid + droppedNoImage} in every row.
 */
public final class Curation {
    private Curation() {
    }

    /** Counts for one task and split. */
    public record Summary(AbawTask task, AbawSplit split, int videos, long framesBefore, long framesAfter,
                          long droppedInvalid, long droppedNoImage) {
    }

    /** Whether curation keeps a frame: a valid label and an image. */
    public static boolean keeps(AbawFrame frame) {
        return !frame.invalid() && frame.image().isPresent();
    }

    /** The frames of a video that curation keeps, in order. */
    public static List<AbawFrame> kept(AbawDataset dataset, AbawTask task, AbawSplit split, String video) throws IOException {
        List<AbawFrame> kept = new ArrayList<>();
        for (AbawFrame f : dataset.frames(task, split, video)) {
            if (keeps(f)) {
                kept.add(f);
            }
        }
        return kept;
    }

    /** One row per task and split, tasks in VA, EXPR, AU order, train before validation. */
    public static List<Summary> summarize(AbawDataset dataset) throws IOException {
        List<Summary> rows = new ArrayList<>();
        for (AbawTask task : AbawTask.values()) {
            for (AbawSplit split : AbawSplit.values()) {
                rows.add(summarize(dataset, task, split));
            }
        }
        return rows;
    }

    /** The counts of one task and split (zero videos when its folder is absent). */
    public static Summary summarize(AbawDataset dataset, AbawTask task, AbawSplit split) throws IOException {
        List<String> videos = dataset.videos(task, split);
        long before = 0;
        long invalid = 0;
        long noImage = 0;
        for (String video : videos) {
            AnnotationFile file = dataset.annotations(task, split, video);
            BitSet present = dataset.framesWithImage(video);
            before += file.frames();
            for (int k = 1; k <= file.frames(); k++) {
                if (file.isInvalid(k)) {
                    invalid++;
                } else if (!present.get(k)) {
                    noImage++;
                }
            }
        }
        return new Summary(task, split, videos.size(), before, before - invalid - noImage, invalid, noImage);
    }
}
