package dev.affect.engine.training.data;

import dev.affect.engine.data.abaw.AnnotationFile;
import dev.affect.engine.data.cache.VideoEmbeddings;
import dev.affect.engine.tensor.Tensor;

/**
 * The trainable sequence of one video for one task: its frames that have an embedding (a face), in
 * order, with their labels and whether each label is valid. Frames without a face are left out of
 * the sequence, as the serving pipeline feeds a head only the frames where a face was found; the
 * embeddings stay in the memory-mapped cache file.
 */
final class VideoTrack {
    private final VideoEmbeddings embeddings;
    private final int[] frames;
    private final float[] labels;
    private final boolean[] valid;
    private final int fields;

    private VideoTrack(VideoEmbeddings embeddings, int[] frames, float[] labels, boolean[] valid, int fields) {
        this.embeddings = embeddings;
        this.frames = frames;
        this.labels = labels;
        this.valid = valid;
        this.fields = fields;
    }

    /** The annotated frames of {@code annotations} that have an embedding. */
    static VideoTrack of(AnnotationFile annotations, VideoEmbeddings embeddings) {
        int fields = annotations.task().fields();
        int last = Math.min(annotations.frames(), embeddings.frames());
        int[] frames = embeddings.present().stream().filter(k -> k <= last).toArray();
        float[] labels = new float[frames.length * fields];
        boolean[] valid = new boolean[frames.length];
        for (int i = 0; i < frames.length; i++) {
            float[] label = annotations.label(frames[i]);
            System.arraycopy(label, 0, labels, i * fields, fields);
            valid[i] = !annotations.task().isInvalid(label);
        }
        return new VideoTrack(embeddings, frames, labels, valid, fields);
    }

    String video() {
        return embeddings.video();
    }

    /** Frames in the sequence. */
    int length() {
        return frames.length;
    }

    /** The 1-based video frame at a sequence position. */
    int frame(int position) {
        return frames[position];
    }

    boolean valid(int position) {
        return valid[position];
    }

    int validCount() {
        int n = 0;
        for (boolean v : valid) {
            n += v ? 1 : 0;
        }
        return n;
    }

    /** Copies the label at {@code position} into {@code out} at {@code offset}. */
    void copyLabel(int position, float[] out, int offset) {
        System.arraycopy(labels, position * fields, out, offset, fields);
    }

    /** Copies the embedding at {@code position} into row {@code row} of an f32 [N, width] tensor. */
    void copyEmbedding(int position, Tensor out, int row) {
        embeddings.copyInto(out, row, frames[position]);
    }
}
