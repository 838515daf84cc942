package dev.affect.engine.training.data;

import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.cache.EmbeddingCache;
import dev.affect.engine.data.cache.VideoEmbeddings;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows of one task's split: each video's frames with an embedding ({@link VideoTrack}) cut
 * into windows of consecutive frames of that video only ({@link WindowSpec}, {@link Tail}), and
 * batches of them read from the memory-mapped embedding cache. Only labels and window positions live
 * on the heap; a batch copies just its own B*T embedding rows.
 */
public final class WindowedSplit {
    private final AbawTask task;
    private final WindowSpec spec;
    private final List<VideoTrack> tracks;
    /** Window i is {@code tracks.get(videoOf[i])} from position {@code startOf[i]}. */
    private final int[] videoOf;
    private final int[] startOf;
    private final int width;

    private WindowedSplit(AbawTask task, WindowSpec spec, Tail tail, List<VideoTrack> tracks, int width) {
        this.task = task;
        this.spec = spec;
        this.tracks = tracks;
        this.width = width;
        List<int[]> windows = new ArrayList<>();
        for (int v = 0; v < tracks.size(); v++) {
            VideoTrack t = tracks.get(v);
            for (int start : WindowPlan.starts(t.length(), spec, tail)) {
                if (hasValidLabel(t, start)) {
                    windows.add(new int[] {v, start});
                }
            }
        }
        this.videoOf = windows.stream().mapToInt(w -> w[0]).toArray();
        this.startOf = windows.stream().mapToInt(w -> w[1]).toArray();
    }

    /**
     * The windows of {@code task}'s {@code split}, embeddings from {@code cache} (computed there first
     * for videos not cached yet).
     */
    public static WindowedSplit open(AbawDataset dataset, EmbeddingCache cache, AbawTask task, AbawSplit split,
            WindowSpec spec, Tail tail) throws IOException {
        List<VideoTrack> tracks = new ArrayList<>();
        int width = -1;
        for (String video : dataset.videos(task, split)) {
            VideoEmbeddings e = cache.embeddingsFor(video);
            width = e.width();
            tracks.add(VideoTrack.of(dataset.annotations(task, split, video), e));
        }
        return new WindowedSplit(task, spec, tail, tracks, width);
    }

    // a window whose every label is invalid teaches nothing and would give an undefined loss
    private boolean hasValidLabel(VideoTrack t, int start) {
        int end = Math.min(t.length(), start + spec.length());
        for (int p = start; p < end; p++) {
            if (t.valid(p)) {
                return true;
            }
        }
        return false;
    }

    public AbawTask task() {
        return task;
    }

    public WindowSpec spec() {
        return spec;
    }

    /** Number of windows. */
    public int size() {
        return videoOf.length;
    }

    /** Number of videos (including those with no window). */
    public int videos() {
        return tracks.size();
    }

    /** Frames with an embedding and a valid label, over all videos (each counted once). */
    public long validFrames() {
        long n = 0;
        for (VideoTrack t : tracks) {
            n += t.validCount();
        }
        return n;
    }

    /** Embedding width D (-1 when the split has no videos). */
    public int width() {
        return width;
    }

    /** The video and 1-based first frame of window {@code i}, e.g. {@code video10_1@00031}. */
    public String describe(int i) {
        VideoTrack t = tracks.get(videoOf[i]);
        return t.video() + "@" + String.format("%05d", t.frame(startOf[i]));
    }

    /**
     * The batch of windows {@code order[from..to)}: embeddings [to-from, T, D], labels and mask.
     * Positions past a video's end are padding: zero embedding, mask 0.
     */
    public WindowBatch batch(int[] order, int from, int to) {
        if (from < 0 || to > order.length || from >= to) {
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") of " + order.length + " windows");
        }
        int b = to - from;
        int length = spec.length();
        int fields = task.fields();
        TensorScope scope = new TensorScope();
        try {
            Tensor x = scope.allocate(DType.F32, Shape.of(b, length, width));
            Tensor rows = x.reshape(Shape.of(b * length, width));
            float[] labels = new float[b * length * fields];
            float[] mask = new float[b * length];
            for (int i = 0; i < b; i++) {
                int w = order[from + i];
                VideoTrack t = tracks.get(videoOf[w]);
                for (int k = 0; k < length; k++) {
                    int p = startOf[w] + k;
                    int row = i * length + k;
                    if (p >= t.length()) {
                        continue; // padding: the scope's memory is zeroed
                    }
                    t.copyEmbedding(p, rows, row);
                    t.copyLabel(p, labels, row * fields);
                    mask[row] = t.valid(p) ? 1f : 0f;
                }
            }
            return new WindowBatch(task, scope, x, labels, mask);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }
}
