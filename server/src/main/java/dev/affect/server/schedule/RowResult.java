package dev.affect.server.schedule;

import dev.affect.engine.model.heads.Task;
import java.util.Arrays;
import java.util.Map;

/**
 * One frame's outcome: its row of a batch's outputs (copied out of the batch lazily, off the device
 * thread), or why it failed.
 */
public final class RowResult {
    private final BatchOutput batch;
    private final int row;
    private final RuntimeException error;
    private final long queueNanos;

    private RowResult(BatchOutput batch, int row, RuntimeException error, long queueNanos) {
        this.batch = batch;
        this.row = row;
        this.error = error;
        this.queueNanos = queueNanos;
    }

    static RowResult of(BatchOutput batch, int row, long queueNanos) {
        return new RowResult(batch, row, null, queueNanos);
    }

    /** A frame that did not run (or whose batch failed); {@code batch} may be null. */
    static RowResult failed(RuntimeException error, BatchOutput batch) {
        return new RowResult(batch, -1, error, 0);
    }

    /** Null when the frame succeeded. */
    public RuntimeException error() {
        return error;
    }

    /** Frames in the batch the frame ran in; 0 when it did not run. */
    public int batchSize() {
        return batch == null ? 0 : batch.rows();
    }

    public long queueNanos() {
        return queueNanos;
    }

    /** The backbone classifier's logits (only for a frame submitted with {@link FrameJob#backboneOutputs()}). */
    public float[] logits() {
        if (batch.logits() == null) {
            throw new IllegalStateException("the frame was submitted without backboneOutputs");
        }
        return batch.row(batch.logits(), row);
    }

    /** The backbone's embedding (only for a frame submitted with {@link FrameJob#backboneOutputs()}). */
    public float[] embedding() {
        if (batch.embeddings() == null) {
            throw new IllegalStateException("the frame was submitted without backboneOutputs");
        }
        return batch.row(batch.embeddings(), row);
    }

    /** The task head's values (after its activation), or null when the pipeline has no head for it. */
    public float[] values(Task task) {
        float[] all = batch.values().get(task);
        return all == null ? null : batch.row(all, row);
    }

    /**
     * A batch's outputs as flat row-major arrays (one copy per batch on the device thread); logits and
     * embeddings are null when no frame of the batch asked for them.
     */
    record BatchOutput(int rows, float[] logits, float[] embeddings, Map<Task, float[]> values) {
        float[] row(float[] flat, int r) {
            int width = flat.length / rows;
            return Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
    }
}
