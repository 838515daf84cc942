package dev.affect.server.schedule;

import dev.affect.engine.InvalidInputException;

/**
 * Decoded-pixel limits checked from an image's header before it is decoded: one per frame
 * (INVALID_ARGUMENT naming the frame and the size) and one for all images being decoded at once
 * across the server (RESOURCE_EXHAUSTED while full).
 */
public interface DecodeBudget {

    /** A reservation of decoded pixels, given back when the image has been decoded and resized. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Checks the per-frame limit only (cheap: reads the header).
     *
     * @throws InvalidInputException naming {@code field} when the image is larger than one frame may be
     */
    void checkFrame(byte[] encoded, String field);

    /**
     * Checks the per-frame limit and reserves the image's pixels from the server-wide budget.
     *
     * @throws InvalidInputException naming {@code field} when the image is larger than one frame may be
     * @throws QueueFullException when the server-wide budget cannot hold the image now
     */
    Lease reserve(byte[] encoded, String field);

    /** Per-frame and server-wide limits in pixels. */
    static DecodeBudget of(long maxFramePixels, long serverPixels) {
        return new PixelBudget(maxFramePixels, serverPixels);
    }
}
