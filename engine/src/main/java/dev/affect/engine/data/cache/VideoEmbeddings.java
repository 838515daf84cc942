package dev.affect.engine.data.cache;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;

/**
 * The cached embeddings of one video: frames 1..{@link #frames()}, each present (it has an image) or
 * absent. The rows are a read-only view of the memory-mapped cache file (absent rows are zeros).
 */
public final class VideoEmbeddings {
    private final String video;
    private final int frames;
    private final int width;
    private final BitSet present;
    private final MemorySegment rows;

    VideoEmbeddings(String video, int frames, int width, BitSet present, MemorySegment rows) {
        this.video = video;
        this.frames = frames;
        this.width = width;
        this.present = present;
        this.rows = rows;
    }

    public String video() {
        return video;
    }

    /** The number of frames, present or not. */
    public int frames() {
        return frames;
    }

    /** The width of one embedding (512). */
    public int width() {
        return width;
    }

    /** Whether frame {@code frame} (1-based) has an embedding. */
    public boolean has(int frame) {
        return frame >= 1 && frame <= frames && present.get(frame);
    }

    /** The 1-based frames that have an embedding (a copy). */
    public BitSet present() {
        return (BitSet) present.clone();
    }

    /** The number of frames with an embedding. */
    public int presentCount() {
        return present.cardinality();
    }

    /** The embedding of frame {@code frame} (1-based), which must be present. */
    public float[] row(int frame) {
        requirePresent(frame);
        float[] out = new float[width];
        MemorySegment.copy(rows, ValueLayout.JAVA_FLOAT_UNALIGNED, (long) (frame - 1) * width * Float.BYTES, out, 0, width);
        return out;
    }

    /** Copies frame {@code frame}'s (1-based, present) embedding into row {@code row} of an f32 [N, width] tensor. */
    public void copyInto(Tensor out, int row, int frame) {
        requirePresent(frame);
        if (out.dtype() != DType.F32 || out.shape().rank() != 2 || out.shape().dim(1) != width
                || row < 0 || row >= out.shape().dim(0)) {
            throw new IllegalArgumentException("row " + row + " of f32[N, " + width + "] expected, got "
                    + out.dtype() + out.shape());
        }
        out.slice(row, row + 1).copyFrom(row(frame));
    }

    /** All rows as a zero-copy read-only f32 [frames, width] tensor (row k-1 is frame k; absent rows are zeros). */
    public Tensor tensor() {
        return Tensor.wrap(rows, DType.F32, Shape.of(frames, width));
    }

    private void requirePresent(int frame) {
        if (!has(frame)) {
            throw new IllegalArgumentException("video " + video + " has no embedding for frame " + frame
                    + " (frames 1.." + frames + ", " + presentCount() + " with an image)");
        }
    }
}
