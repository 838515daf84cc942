package dev.affect.server.schedule;

import dev.affect.engine.image.ImageDimensions;
import dev.affect.engine.model.heads.PipelineState;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One frame on its way through a {@link FrameScheduler}: what the transport decoded (no pixels yet),
 * whose it is, and where its result goes.
 *
 * @param owner frames of one owner (a session) run at most one per batch, in submission order
 * @param data the frame's pixels or values, decoded on a decode thread
 * @param field the frame's name in errors, e.g. {@code frame} or {@code frames[3]}
 * @param state the session state the frame advances, or {@code null} for a stateless frame
 * @param backboneOutputs whether its result needs the backbone's logits and embedding (a Predict frame);
 *     a batch of frames that need only the heads' values runs without allocating anything
 * @param cancelled polled before decoding and before the batch runs; true fails the frame as cancelled
 * @param receivedNanos {@link System#nanoTime()} when the transport received it
 * @param done called once with the result, on the device thread or the caller's: hand it to another executor
 * @param startsSequence the state is reset to a sequence's start before this frame (another face is followed now)
 */
public record FrameJob(Object owner, FrameData data, String field, PipelineState state, boolean backboneOutputs,
        BooleanSupplier cancelled, long receivedNanos, Consumer<RowResult> done, boolean startsSequence) {

    /** A frame that continues its state's sequence. */
    public FrameJob(Object owner, FrameData data, String field, PipelineState state, boolean backboneOutputs,
            BooleanSupplier cancelled, long receivedNanos, Consumer<RowResult> done) {
        this(owner, data, field, state, backboneOutputs, cancelled, receivedNanos, done, false);
    }

    public FrameJob {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(cancelled, "cancelled");
        Objects.requireNonNull(done, "done");
    }

    /** A frame's input as received. */
    public sealed interface FrameData {
        /** Bytes it holds while queued (the queue's byte bound counts them). */
        long bytes();
    }

    /**
     * An encoded JPEG or PNG image (a face crop, or a camera frame to find faces in).
     *
     * @param dimensions the size its header declares, read once when the frame arrived
     */
    public record Image(byte[] encoded, ImageDimensions dimensions) implements FrameData {
        public Image {
            Objects.requireNonNull(encoded, "encoded");
            Objects.requireNonNull(dimensions, "dimensions");
        }

        @Override
        public long bytes() {
            return encoded.length;
        }
    }

    /** A face already decoded and aligned to 112x112 (found in a camera frame). */
    public record Decoded(dev.affect.engine.image.RgbImage face) implements FrameData {
        @Override
        public long bytes() {
            return face.pixels().length;
        }
    }

    /** A normalised face [3, 112, 112]: little-endian float32 bytes, or the values (exactly one is set). */
    public record Normalized(ByteBuffer rawLittleEndian, List<Float> values) implements FrameData {
        @Override
        public long bytes() {
            return rawLittleEndian != null ? rawLittleEndian.remaining() : 4L * values.size();
        }
    }
}
