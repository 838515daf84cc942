package dev.affect.engine.image;

import dev.affect.bindings.turbojpeg.DecodedCmykJpeg;
import dev.affect.bindings.turbojpeg.DecodedJpeg;
import dev.affect.bindings.turbojpeg.JpegHeader;
import dev.affect.bindings.turbojpeg.TurboJpeg;
import dev.affect.bindings.turbojpeg.TurboJpegException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JPEG decoding with libjpeg-turbo, the library Pillow itself decodes with, so the pixels equal
 * {@code Image.open(f).convert("RGB")} wherever both use the same libjpeg-turbo; PNG (and anything
 * that is not a JPEG) goes to {@link ImageIoDecoder}.
 *
 * <p>Same contract as {@link ImageIoDecoder}: grey is replicated, EXIF orientation and ICC profiles
 * are not applied, images over the pixel limit are refused before decoding, and truncated or damaged
 * JPEGs are refused even though libjpeg only warns about them ({@link JpegWarnings} sorts the
 * warnings). CMYK and YCCK JPEGs (Photoshop's print exports) are decoded to CMYK by libjpeg and
 * converted as Pillow converts them ({@link PillowCmyk}: no ICC profile, so the naive colours).
 *
 * <p>The only class in {@code dev.affect.engine} outside the backends that uses a binding (the
 * {@link TurboJpeg} facade, never its generated code); {@code ArchitectureTest} names it. Stateless
 * and thread-safe.
 */
public final class TurboJpegDecoder implements ImageDecoder {
    private static final System.Logger LOG = System.getLogger(TurboJpegDecoder.class.getName());
    private static final AtomicBoolean REPORTED_UNAVAILABLE = new AtomicBoolean();

    private final long maxPixels;
    private final ImageIoDecoder others;

    public TurboJpegDecoder() {
        this(ImageIoDecoder.DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the largest image accepted, as for {@link ImageIoDecoder#ImageIoDecoder(long)} */
    public TurboJpegDecoder(long maxPixels) {
        this.others = new ImageIoDecoder(maxPixels); // validates the limit
        this.maxPixels = maxPixels;
    }

    /** Whether libturbojpeg loads; never throws. The first "no" is logged once, with the reason. */
    public static boolean isAvailable() {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent() && REPORTED_UNAVAILABLE.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "libjpeg-turbo unavailable, JPEG decoding falls back to javax.imageio: {0}",
                    reason.get());
        }
        return reason.isEmpty();
    }

    /** Why libturbojpeg cannot be loaded (every place tried), or empty when it can. */
    public static Optional<String> unavailableReason() {
        return TurboJpeg.unavailableReason();
    }

    /**
     * @throws ImageFormatException as {@link ImageDecoder#decode(byte[], String)} says
     * @throws dev.affect.bindings.NativeLibraryUnavailableException for a JPEG when libturbojpeg cannot
     *         be loaded (use {@link ImageDecoder#best()} to fall back instead)
     */
    @Override
    public RgbImage decode(byte[] data, String name) {
        if (data == null || !isJpeg(data)) {
            return others.decode(data, name); // PNG, and the "empty" / "not a JPEG or PNG" messages
        }
        try {
            JpegHeader header = TurboJpeg.readHeader(data);
            checkSize(header, name);
            if (!header.colorspace().convertsToRgb()) {
                DecodedCmykJpeg jpeg = TurboJpeg.decodeCmyk(data, JpegWarnings::isHarmless);
                return PillowCmyk.toRgb(jpeg.width(), jpeg.height(), jpeg.cmyk());
            }
            DecodedJpeg jpeg = TurboJpeg.decodeRgb(data, JpegWarnings::isHarmless);
            return new RgbImage(jpeg.width(), jpeg.height(), jpeg.rgb());
        } catch (TurboJpegException e) {
            // A warning that reached us is one JpegWarnings called truncated or corrupt.
            String problem = e.isWarning() ? JpegWarnings.problem(e.statusText()) : JpegWarnings.fatalProblem(e.statusText());
            throw new ImageFormatException(name + ": " + problem + " JPEG image (" + e.statusText() + ")", e);
        }
    }

    private void checkSize(JpegHeader header, String name) {
        if ((long) header.width() * header.height() > maxPixels) {
            throw new ImageFormatException(name + ": JPEG image of " + header.width() + "x" + header.height()
                    + " pixels exceeds the limit of " + maxPixels + " pixels");
        }
        // libjpeg's CMYK output takes 4 bytes a pixel, which one array may not hold under a large limit.
        if (!header.colorspace().convertsToRgb() && (long) header.width() * header.height() * 4 > Integer.MAX_VALUE - 8) {
            throw new ImageFormatException(name + ": CMYK JPEG image of " + header.width() + "x" + header.height()
                    + " pixels is too large to decode");
        }
    }

    /** SOI followed by another marker, as {@link ImageIoDecoder} sniffs it. */
    private static boolean isJpeg(byte[] data) {
        return data.length >= 3 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8 && (data[2] & 0xff) == 0xff;
    }
}
