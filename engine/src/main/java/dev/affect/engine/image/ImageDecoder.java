package dev.affect.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes an encoded image (JPEG or PNG) to 8-bit RGB, like PIL's {@code Image.open(f).convert("RGB")}.
 *
 * <p>An interface so that {@link TurboJpegDecoder}, bit-compatible with Pillow's libjpeg-turbo, can
 * replace {@link ImageIoDecoder} without touching callers; {@link #best()} picks one.
 */
public interface ImageDecoder {

    /**
     * @param data the encoded file contents
     * @param name what to call the data in error messages (usually the file name)
     * @throws ImageFormatException when the data is not a complete, supported JPEG or PNG image
     */
    RgbImage decode(byte[] data, String name);

    /**
     * The width and height the header declares, read without decoding (PNG: the IHDR chunk; JPEG: the
     * first frame header), so callers can refuse an image before its pixels are allocated.
     *
     * @throws ImageFormatException when the data is not a JPEG or PNG, or its header is cut short or malformed
     */
    default ImageDimensions dimensions(byte[] data, String name) {
        return ImageHeaders.read(data, name);
    }

    /**
     * Reads and decodes a file.
     *
     * @throws IOException when the file cannot be read (missing, unreadable)
     * @throws ImageFormatException when its contents are not a decodable image
     */
    default RgbImage decode(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /** The pure-Java decoder (javax.imageio). */
    static ImageDecoder imageIo() {
        return new ImageIoDecoder();
    }

    /**
     * libjpeg-turbo for JPEG (Pillow's own decoder) when libturbojpeg loads, else {@link #imageIo()}.
     * The first call may load the library; the outcome is remembered, so later calls are cheap.
     */
    static ImageDecoder best() {
        return TurboJpegDecoder.isAvailable() ? new TurboJpegDecoder() : imageIo();
    }
}
