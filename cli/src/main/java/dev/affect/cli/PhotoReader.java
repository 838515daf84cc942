package dev.affect.cli;

import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.ImageFormatException;
import dev.affect.engine.image.PixelBudget;
import dev.affect.engine.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes whole photos for face detection: the header's size is checked against a
 * {@link PixelBudget} before any pixel is allocated, so a small file declaring a huge image is
 * refused with one line naming it instead of exhausting memory.
 */
final class PhotoReader {
    /** Larger files are refused before they are read: no JPEG or PNG within the pixel budget needs this much. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private final FacePreprocessor photos;

    PhotoReader(ImageDecoder decoder, PixelBudget budget) {
        this.photos = new FacePreprocessor(decoder, budget.maxPixelsPerImage());
    }

    /**
     * @throws IOException when the file cannot be read
     * @throws ImageFormatException when it is empty, not a JPEG/PNG, corrupt, or in a colour model the decoder
     *         cannot convert
     * @throws dev.affect.engine.image.ImageTooLargeException when its header declares more pixels than the budget
     */
    RgbImage read(Path file) throws IOException {
        String name = file.toString();
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new ImageFormatException(name + ": " + Files.size(file) + " bytes, larger than any photo accepted ("
                    + MAX_FILE_BYTES + ")");
        }
        return photos.decode(Files.readAllBytes(file), name);
    }
}
