package dev.affect.engine.training.data;

import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;

/**
 * B windows of T frames, ready for a head: embeddings f32 [B, T, D], labels and a per-frame mask,
 * frames flattened as row {@code b*T + t}. The mask is 1 where the frame has a valid label and 0 for
 * invalid labels and for padding after a short window's last frame (whose embedding rows are zeros).
 * Labels per row: VA (valence, arousal); EXPR the class index as a float; AU twelve 0/1 values;
 * masked rows hold whatever the file had (invalid markers) or zeros. Owns its tensor memory: close it.
 */
public final class WindowBatch implements AutoCloseable {
    private final AbawTask task;
    private final TensorScope scope;
    private final Tensor embeddings;
    private final float[] labels;
    private final float[] mask;

    WindowBatch(AbawTask task, TensorScope scope, Tensor embeddings, float[] labels, float[] mask) {
        this.task = task;
        this.scope = scope;
        this.embeddings = embeddings;
        this.labels = labels;
        this.mask = mask;
    }

    public AbawTask task() {
        return task;
    }

    /** f32 [B, T, D]. */
    public Tensor embeddings() {
        return embeddings;
    }

    /** Number of windows B. */
    public int windows() {
        return embeddings.shape().dim(0);
    }

    /** Window length T. */
    public int length() {
        return embeddings.shape().dim(1);
    }

    /** Rows B*T. */
    public int rows() {
        return mask.length;
    }

    /** Values per label row: 2 (VA), 1 (EXPR), 12 (AU). */
    public int labelWidth() {
        return task.fields();
    }

    /** [B*T, labelWidth] row-major; the caller must not modify it. */
    public float[] labels() {
        return labels;
    }

    /** [B*T], 1 for a valid label, 0 otherwise; the caller must not modify it. */
    public float[] mask() {
        return mask;
    }

    /** Rows with a valid label. */
    public int validRows() {
        int n = 0;
        for (float m : mask) {
            n += m != 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public void close() {
        scope.close();
    }
}
