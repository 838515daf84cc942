package dev.affect.server.schedule;

import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.ImageDimensions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link DecodeBudget} from the PNG/JPEG header, read by the engine ({@link ImageDecoder#dimensions});
 * lock-free.
 */
final class PixelBudget implements DecodeBudget {
    /** Only its header reader is used: pure Java, loads no native library. */
    private static final ImageDecoder HEADERS = ImageDecoder.imageIo();

    private final long maxFramePixels;
    private final long serverPixels;
    private final dev.affect.engine.image.PixelBudget perFrame;
    private final AtomicLong inUse = new AtomicLong();

    PixelBudget(long maxFramePixels, long serverPixels) {
        if (maxFramePixels < 1 || serverPixels < 1) {
            throw new IllegalArgumentException("pixel budgets must be positive, got " + maxFramePixels + ", " + serverPixels);
        }
        this.maxFramePixels = maxFramePixels;
        this.serverPixels = serverPixels;
        this.perFrame = new dev.affect.engine.image.PixelBudget(maxFramePixels);
    }

    @Override
    public long maxFramePixels() {
        return maxFramePixels;
    }

    @Override
    public ImageDimensions checkFrame(byte[] encoded, String field) {
        ImageDimensions d = HEADERS.dimensions(encoded, field);
        perFrame.check(d, field);
        return d;
    }

    @Override
    public Lease reserve(ImageDimensions declared, String field) {
        perFrame.check(declared, field);
        long pixels = declared.pixels();
        while (true) {
            long used = inUse.get();
            if (used + pixels > serverPixels) {
                throw new QueueFullException("the server's decoded-pixel budget (" + serverPixels
                        + " pixels) is full; retry later");
            }
            if (inUse.compareAndSet(used, used + pixels)) {
                break;
            }
        }
        return new Lease() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    inUse.addAndGet(-pixels);
                }
            }
        };
    }

    /** Pixels reserved now (for tests and metrics). */
    long inUse() {
        return inUse.get();
    }
}
