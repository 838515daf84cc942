package dev.affect.bindings.turbojpeg;

import dev.affect.bindings.turbojpeg.gen.turbojpeg_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.affect.bindings.turbojpeg.gen.turbojpeg_h.C_INT;

/**
 * One TurboJPEG decompressor instance ({@code tjhandle}), destroyed by {@link #close()}.
 *
 * <p>Confined to the thread that created it: a TurboJPEG instance is not thread-safe, and the text of
 * a libjpeg error lives in a thread-local buffer that must be read right after the failing call, on
 * the same OS thread. (A virtual thread cannot move to another carrier between two downcalls that
 * do not block, so reading it immediately is enough there too.)
 */
final class TjHandle implements AutoCloseable {
    private final MemorySegment handle;

    private TjHandle(MemorySegment handle) {
        this.handle = handle;
    }

    /** {@code tjInitDecompress}; the library must be loaded. */
    static TjHandle initDecompress() {
        MemorySegment handle = turbojpeg_h.tjInitDecompress();
        if (handle.address() == 0) {
            throw new TurboJpegException("tjInitDecompress", TurboJpegException.FATAL, errorText(MemorySegment.NULL));
        }
        return new TjHandle(handle);
    }

    /**
     * {@code tjDecompressHeader3}. Warnings are not reported here: {@code tjDecompress2} reads the same
     * headers again and reports them.
     *
     * @throws TurboJpegException when no usable width, height and colour space could be read
     */
    JpegHeader header(MemorySegment jpeg, long size) {
        try (Arena arena = Arena.ofConfined()) {
            // -1 marks "not written": libjpeg longjmps out before any out-param is set.
            MemorySegment width = arena.allocateFrom(C_INT, -1);
            MemorySegment height = arena.allocateFrom(C_INT, -1);
            MemorySegment subsampling = arena.allocateFrom(C_INT, JpegHeader.UNKNOWN_SUBSAMPLING);
            MemorySegment colorspace = arena.allocateFrom(C_INT, -1);
            int rc = turbojpeg_h.tjDecompressHeader3(handle, jpeg, size, width, height, subsampling, colorspace);
            int w = width.get(C_INT, 0);
            int h = height.get(C_INT, 0);
            JpegColorspace cs = JpegColorspace.of(colorspace.get(C_INT, 0));
            // rc -1 with usable values: only warnings, or 2.1 refusing sampling factors it has no TJSAMP
            // for (it sets every out-param first, and tjDecompress2 decodes such files fine).
            if (w >= 1 && h >= 1 && cs != null) {
                return new JpegHeader(w, h, subsampling.get(C_INT, 0), cs);
            }
            // rc 0 here: a tables-only datastream, which is also what data cut off before the frame
            // header looks like. rc -1: the code may read WARNING when a warning preceded the fatal
            // error, but without a header it is fatal either way.
            throw new TurboJpegException("tjDecompressHeader3", TurboJpegException.FATAL,
                    rc == 0 ? "no image: only tables, or cut off before the frame header" : errorText(handle));
        }
    }

    /**
     * {@code tjDecompress2} at full size into packed pixels of {@code pixelFormat} ({@code TJPF_RGB} or
     * {@code TJPF_CMYK}; pitch 0, i.e. width times the format's bytes per pixel). Scans are limited to
     * 500 ({@code TJFLAG_LIMITSCANS}), so a crafted progressive file cannot take minutes.
     *
     * @param stopAtWarning {@code TJFLAG_STOPONWARNING}: stop at libjpeg's first warning (then {@code dst}
     *                      is incomplete); without it libjpeg patches the damage over and goes on
     * @return null when libjpeg neither failed nor warned, else the first warning's text
     * @throws TurboJpegException on a fatal error (only reliable with {@code stopAtWarning}: otherwise
     *         tjGetErrorCode reports WARNING when a fatal error followed a warning)
     */
    String decompress(MemorySegment jpeg, long size, MemorySegment dst, int width, int height, int pixelFormat,
                      boolean stopAtWarning) {
        int flags = turbojpeg_h.TJFLAG_LIMITSCANS() | (stopAtWarning ? turbojpeg_h.TJFLAG_STOPONWARNING() : 0);
        int rc = turbojpeg_h.tjDecompress2(handle, jpeg, size, dst, width, 0, height, pixelFormat, flags);
        if (rc == 0) {
            return null;
        }
        String text = errorText(handle);
        if (turbojpeg_h.tjGetErrorCode(handle) != turbojpeg_h.TJERR_WARNING()) {
            throw new TurboJpegException("tjDecompress2", TurboJpegException.FATAL, text);
        }
        return text;
    }

    /** {@code tjDestroy}. */
    @Override
    public void close() {
        check(turbojpeg_h.tjDestroy(handle), "tjDestroy");
    }

    /** Throws when a TurboJPEG call returned -1, with the handle's error severity and text. */
    private void check(int rc, String function) {
        if (rc != 0) {
            String text = errorText(handle);
            throw new TurboJpegException(function, turbojpeg_h.tjGetErrorCode(handle), text);
        }
    }

    // tjGetErrorStr2 returns a static or per-instance buffer: read it at once, never keep the segment.
    private static String errorText(MemorySegment handle) {
        MemorySegment text = turbojpeg_h.tjGetErrorStr2(handle);
        return text.address() == 0 ? "no error text" : text.getString(0);
    }
}
