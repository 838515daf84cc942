package dev.affect.cli;

import dev.affect.client.TrainingFrame;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.abaw.AnnotationFile;
import dev.affect.proto.v1.DataSplit;
import dev.affect.proto.v1.FrameLabel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The frames of a local ABAW root's train and validation splits as an upload ({@code affect jobs
 * start --upload}): video by video (sorted, train first), every annotated frame with its index, its
 * labels for each task the video has a file for, and its image's bytes as they are on disk. Lazy:
 * one video's annotation files and one image are held at a time.
 */
final class AbawUploadFrames implements Iterator<TrainingFrame> {
    private final AbawDataset dataset;
    private final Deque<Map.Entry<AbawSplit, String>> videos = new ArrayDeque<>();
    private final Map<AbawTask, AnnotationFile> files = new EnumMap<>(AbawTask.class);
    private AbawSplit split;
    private String video;
    private BitSet images;
    private int frames;
    private int next;
    private long sent;

    private AbawUploadFrames(AbawDataset dataset) throws IOException {
        this.dataset = dataset;
        for (AbawSplit s : AbawSplit.values()) {
            TreeSet<String> names = new TreeSet<>();
            for (AbawTask task : AbawTask.values()) {
                names.addAll(dataset.videos(task, s));
            }
            names.forEach(v -> videos.add(Map.entry(s, v)));
        }
    }

    /** @throws IOException when the root is not an ABAW root */
    static AbawUploadFrames of(Path root) throws IOException {
        return new AbawUploadFrames(AbawDataset.open(root));
    }

    /** Videos in both splits. */
    int videos() {
        return videos.size() + (video == null ? 0 : 1);
    }

    /** Frames handed out so far. */
    long sent() {
        return sent;
    }

    @Override
    public boolean hasNext() {
        while (next > frames || video == null) {
            if (videos.isEmpty()) {
                return false;
            }
            openVideo(videos.poll());
        }
        return true;
    }

    @Override
    public TrainingFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int k = next++;
        FrameLabel.Builder label = FrameLabel.newBuilder();
        for (Map.Entry<AbawTask, AnnotationFile> e : files.entrySet()) {
            if (k > e.getValue().frames()) {
                continue; // a shorter file: the server writes the invalid marker
            }
            float[] l = e.getValue().label(k);
            switch (e.getKey()) {
                case VA -> label.setValence(l[0]).setArousal(l[1]);
                case EXPR -> label.setExpression((int) l[0]);
                case AU -> {
                    for (float v : l) {
                        label.addActionUnits((int) v);
                    }
                }
            }
        }
        byte[] image = null;
        if (images.get(k)) {
            try {
                image = Files.readAllBytes(dataset.imagePath(video, k));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dataset.imagePath(video, k), e);
            }
        }
        sent++;
        // the split goes with every frame of a video (the server needs it on the first, accepts it on all)
        return TrainingFrame.of(video, split == AbawSplit.TRAIN ? DataSplit.DATA_SPLIT_TRAIN
                : DataSplit.DATA_SPLIT_VALIDATION, k, image, label.build());
    }

    private void openVideo(Map.Entry<AbawSplit, String> v) {
        split = v.getKey();
        video = v.getValue();
        files.clear();
        frames = 0;
        next = 1;
        try {
            for (AbawTask task : AbawTask.values()) {
                if (Files.isRegularFile(dataset.annotationFolder(task, split).resolve(video + ".txt"))) {
                    AnnotationFile f = dataset.annotations(task, split, video);
                    files.put(task, f);
                    frames = Math.max(frames, f.frames());
                }
            }
            images = dataset.framesWithImage(video);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read video " + video + " of " + dataset.annotationRoot(), e);
        }
    }
}
