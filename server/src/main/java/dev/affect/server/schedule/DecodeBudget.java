package dev.affect.server.schedule;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.ImageDimensions;

/**
 * Decoded-pixel limits checked from an image's header (read by the engine's
 * {@link dev.affect.engine.image.ImageDecoder#dimensions}) before it is decoded: one per frame
 * (INVALID_ARGUMENT naming the frame and the size) and one for all images being decoded at once
 * across the server (RESOURCE_EXHAUSTED while full).
 */
public interface DecodeBudget {

    /** A reservation of decoded pixels, given back when the image has been decoded and resized. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** The most pixels one frame's header may declare. */
    long maxFramePixels();

    /**
     * Checks the per-frame limit only (cheap: reads the header) and returns the declared size, which
     * travels with the frame ({@link FrameJob.Image}) so that nothing reads the header again.
     *
     * @throws dev.affect.engine.image.ImageTooLargeException (an {@link InvalidInputException}) naming
     *     {@code field} when the image is larger than one frame may be
     * @throws dev.affect.engine.image.ImageFormatException naming {@code field} when the data is not a
     *     JPEG or PNG, its header is malformed or it declares a zero size
     */
    ImageDimensions checkFrame(byte[] encoded, String field);

    /**
     * Checks the per-frame limit and reserves the image's pixels from the server-wide budget.
     *
     * @param declared the size the image's header declares, as {@link #checkFrame} returned it
     * @throws InvalidInputException naming {@code field} when the image is larger than one frame may be
     * @throws dev.affect.engine.image.ImageFormatException naming {@code field} for a zero size
     * @throws QueueFullException when the server-wide budget cannot hold the image now
     */
    Lease reserve(ImageDimensions declared, String field);

    /** Per-frame and server-wide limits in pixels. */
    static DecodeBudget of(long maxFramePixels, long serverPixels) {
        return new PixelBudget(maxFramePixels, serverPixels);
    }
}
