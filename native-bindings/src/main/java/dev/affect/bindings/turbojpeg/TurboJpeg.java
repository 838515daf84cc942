package dev.affect.bindings.turbojpeg;

import dev.affect.bindings.LoadedLibrary;
import dev.affect.bindings.NativeLibraries;
import dev.affect.bindings.NativeLibraryUnavailableException;
import dev.affect.bindings.turbojpeg.gen.turbojpeg_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.function.Predicate;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Hand-written entry point to libjpeg-turbo's TurboJPEG API: loading and decoding a JPEG to packed
 * 8-bit RGB, or a CMYK/YCCK JPEG to packed 8-bit CMYK. The library is optional; callers check {@link #isAvailable()} and fall back otherwise.
 *
 * <p>Decoding uses libjpeg's defaults (accurate integer IDCT, fancy chroma upsampling), as Pillow
 * does, so the pixels match {@code Image.open(f).convert("RGB")} on the same libjpeg-turbo.
 *
 * <p>All methods are thread-safe: each call creates, uses and destroys its own {@code tjhandle}.
 * Native memory (the compressed copy, out-params, the pixel buffer) lives in a confined arena for
 * the duration of the call.
 */
public final class TurboJpeg {
    /** Largest pixel buffer a Java array can hold, with the usual headroom for the array header. */
    private static final long MAX_PIXEL_BYTES = Integer.MAX_VALUE - 8;

    private TurboJpeg() {
    }

    /**
     * Loads libturbojpeg.so.0 once; cheap after the first call.
     *
     * @throws NativeLibraryUnavailableException listing every place tried
     */
    public static LoadedLibrary load() {
        return NativeLibraries.turbojpeg();
    }

    /** Whether libturbojpeg could be loaded; never throws (the first failure is remembered). */
    public static boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why libturbojpeg cannot be used (the loader's list of places tried), or empty when it can. */
    public static Optional<String> unavailableReason() {
        try {
            load();
            return Optional.empty();
        } catch (NativeLibraryUnavailableException | LinkageError e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Reads the size and colour space without decoding ({@code tjDecompressHeader3}), e.g. to refuse
     * huge images before allocating their pixels.
     *
     * @throws TurboJpegException when the headers are unreadable (not a JPEG, truncated before the frame header)
     */
    public static JpegHeader readHeader(byte[] jpeg) {
        try (Arena arena = Arena.ofConfined()) {
            return readHeader(arena.allocateFrom(JAVA_BYTE, nonEmpty(jpeg)), jpeg.length);
        }
    }

    /** {@link #readHeader(byte[])} for compressed data already in native memory. */
    public static JpegHeader readHeader(MemorySegment jpeg, long size) {
        checkInput(jpeg, size);
        load();
        try (TjHandle tj = TjHandle.initDecompress()) {
            return tj.header(jpeg, size);
        }
    }

    /** {@link #decodeRgb(MemorySegment, long, Predicate)} for compressed data on the heap. */
    public static DecodedJpeg decodeRgb(byte[] jpeg, Predicate<String> tolerated) {
        try (Arena arena = Arena.ofConfined()) {
            return decodeRgb(arena.allocateFrom(JAVA_BYTE, nonEmpty(jpeg)), jpeg.length, tolerated);
        }
    }

    /** {@link #decodeRgb(MemorySegment, long, Predicate)} tolerating no warning at all. */
    public static DecodedJpeg decodeRgb(MemorySegment jpeg, long size) {
        return decodeRgb(jpeg, size, warning -> false);
    }

    /**
     * Decodes a JPEG at full size to packed RGB (grey is replicated; CMYK/YCCK fail, as libjpeg cannot
     * convert them to RGB: use {@link #decodeCmyk(MemorySegment, long, Predicate)} for those).
     *
     * <p>libjpeg reports damaged data only as warnings and patches it over (truncated files get grey
     * rows), but it also warns about harmless quirks such as stray bytes before a marker. So decoding
     * stops at the first warning; a warning {@code tolerated} rejects is thrown, one it accepts is
     * decoded past and returned in {@link DecodedJpeg#warning()}. TurboJPEG keeps only the first
     * warning's text, so warnings after a tolerated one cannot be seen; fatal errors still fail.
     *
     * @param jpeg      the compressed bytes, in native memory
     * @param size      how many bytes of {@code jpeg} to read
     * @param tolerated which libjpeg warning texts still give an acceptable image
     * @throws TurboJpegException naming the function and carrying libjpeg's text, for fatal errors and
     *         for warnings not tolerated ({@link TurboJpegException#isWarning()})
     * @throws IllegalArgumentException when the image has more pixels than one Java array can hold
     */
    public static DecodedJpeg decodeRgb(MemorySegment jpeg, long size, Predicate<String> tolerated) {
        Pixels p = decode(jpeg, size, tolerated, false);
        return new DecodedJpeg(p.header.width(), p.header.height(), p.bytes, p.warning);
    }

    /** {@link #decodeCmyk(MemorySegment, long, Predicate)} for compressed data on the heap. */
    public static DecodedCmykJpeg decodeCmyk(byte[] jpeg, Predicate<String> tolerated) {
        try (Arena arena = Arena.ofConfined()) {
            return decodeCmyk(arena.allocateFrom(JAVA_BYTE, nonEmpty(jpeg)), jpeg.length, tolerated);
        }
    }

    /**
     * Decodes a CMYK or YCCK JPEG at full size to packed CMYK ({@code TJPF_CMYK}): a CMYK file's samples
     * as stored, a YCCK file's converted to CMYK by libjpeg (see {@link DecodedCmykJpeg}). Whether a
     * 4-component file is YCCK or CMYK is libjpeg's call, from the Adobe APP14 marker's transform flag.
     * Converting to RGB is left to the caller, as there is no one right way (ICC profiles, polarity).
     * Warnings are handled as in {@link #decodeRgb(MemorySegment, long, Predicate)}.
     *
     * @throws IllegalArgumentException when the JPEG is not CMYK/YCCK (libjpeg cannot make CMYK from
     *         grey, YCbCr or RGB), or has more pixels than one Java array can hold
     * @throws TurboJpegException as {@link #decodeRgb(MemorySegment, long, Predicate)} does
     */
    public static DecodedCmykJpeg decodeCmyk(MemorySegment jpeg, long size, Predicate<String> tolerated) {
        Pixels p = decode(jpeg, size, tolerated, true);
        return new DecodedCmykJpeg(p.header.width(), p.header.height(), p.bytes, p.header.colorspace(), p.warning);
    }

    private record Pixels(JpegHeader header, byte[] bytes, String warning) {
    }

    private static Pixels decode(MemorySegment jpeg, long size, Predicate<String> tolerated, boolean cmyk) {
        checkInput(jpeg, size);
        load();
        // The arena outlives the handle: tjDestroy runs before the pixel buffer is freed.
        try (Arena arena = Arena.ofConfined(); TjHandle tj = TjHandle.initDecompress()) {
            JpegHeader header = tj.header(jpeg, size);
            if (cmyk && header.colorspace().convertsToRgb()) {
                throw new IllegalArgumentException("a " + header.colorspace() + " JPEG cannot be decoded to CMYK"
                        + " (only CMYK and YCCK JPEGs can)");
            }
            int width = header.width();
            int height = header.height();
            int channels = cmyk ? 4 : 3;
            int pixelFormat = cmyk ? turbojpeg_h.TJPF_CMYK() : turbojpeg_h.TJPF_RGB();
            long bytes = (long) width * height * channels;
            if (bytes > MAX_PIXEL_BYTES) {
                throw new IllegalArgumentException("a " + width + "x" + height
                        + " JPEG is too large to decode into one byte array");
            }
            MemorySegment dst = arena.allocate(bytes);
            String warning = tj.decompress(jpeg, size, dst, width, height, pixelFormat, true);
            if (warning != null) {
                if (!tolerated.test(warning)) {
                    throw new TurboJpegException("tjDecompress2", TurboJpegException.WARNING, warning);
                }
                String again = tj.decompress(jpeg, size, dst, width, height, pixelFormat, false);
                // Only the first warning's text is recorded, so a different text is a fatal error's.
                if (again != null && !again.equals(warning)) {
                    throw new TurboJpegException("tjDecompress2", TurboJpegException.FATAL, again);
                }
            }
            return new Pixels(header, dst.toArray(JAVA_BYTE), warning);
        }
    }

    private static byte[] nonEmpty(byte[] jpeg) {
        if (jpeg == null || jpeg.length == 0) {
            throw new IllegalArgumentException("no JPEG data (empty array)");
        }
        return jpeg;
    }

    // Plain downcalls cannot take heap segments, and TurboJPEG must never read past the segment.
    private static void checkInput(MemorySegment jpeg, long size) {
        if (!jpeg.isNative()) {
            throw new IllegalArgumentException("JPEG data must be in native memory (copy it into an arena first)");
        }
        if (size <= 0 || size > jpeg.byteSize()) {
            throw new IllegalArgumentException("size must be in 1.." + jpeg.byteSize() + ", got " + size);
        }
    }
}
