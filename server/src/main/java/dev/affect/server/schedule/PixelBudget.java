package dev.affect.server.schedule;

import dev.affect.engine.InvalidInputException;
import java.util.concurrent.atomic.AtomicLong;

/** {@link DecodeBudget} from the PNG/JPEG header ({@link ImageHeader}); lock-free. */
final class PixelBudget implements DecodeBudget {
    private static final Lease NOTHING = () -> { };

    private final long maxFramePixels;
    private final long serverPixels;
    private final AtomicLong inUse = new AtomicLong();

    PixelBudget(long maxFramePixels, long serverPixels) {
        if (maxFramePixels < 1 || serverPixels < 1) {
            throw new IllegalArgumentException("pixel budgets must be positive, got " + maxFramePixels + ", " + serverPixels);
        }
        this.maxFramePixels = maxFramePixels;
        this.serverPixels = serverPixels;
    }

    @Override
    public void checkFrame(byte[] encoded, String field) {
        header(encoded, field);
    }

    private ImageHeader header(byte[] encoded, String field) {
        ImageHeader h = ImageHeader.read(encoded);
        if (h != null && (h.width() <= 0 || h.height() <= 0 || h.pixels() > maxFramePixels)) {
            throw new InvalidInputException(field, "image of " + h.width() + "x" + h.height() + " (" + h.pixels()
                    + " pixels) is over the server's limit of " + maxFramePixels + " pixels per frame");
        }
        return h;
    }

    @Override
    public Lease reserve(byte[] encoded, String field) {
        ImageHeader h = header(encoded, field);
        if (h == null) {
            return NOTHING; // not an image the decoder accepts: it says so
        }
        long pixels = h.pixels();
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
}
