package dev.affect.engine.image;

/** The bytes are not a decodable JPEG/PNG image (corrupt, truncated, unsupported, zero-size). */
public class ImageFormatException extends RuntimeException {
    public ImageFormatException(String message) {
        super(message);
    }

    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
