package dev.affect.engine.image;

import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The DDAMFN eval transform end to end: decode to RGB, Pillow-bilinear resize to 112x112, ToTensor +
 * ImageNet normalisation (docs/ddamfn.md section 5).
 *
 * <p>Each image's header is checked against a {@link PixelBudget} before it is decoded: a small file
 * can declare a huge image, and a face crop never needs one.
 */
public final class FacePreprocessor {
    private final ImageDecoder decoder;
    private final PixelBudget budget;

    /** With the default budget, {@link PixelBudget#DEFAULT_MAX_PIXELS_PER_IMAGE}. */
    public FacePreprocessor(ImageDecoder decoder) {
        this(decoder, PixelBudget.DEFAULT_MAX_PIXELS_PER_IMAGE);
    }

    /** @param maxPixelsPerImage the most pixels an image's header may declare */
    public FacePreprocessor(ImageDecoder decoder, long maxPixelsPerImage) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.budget = new PixelBudget(maxPixelsPerImage);
    }

    /**
     * Decodes ({@link ImageDecoder#best()}), resizes and normalises {@code file}: a [1, 3, 112, 112]
     * float32 tensor.
     */
    public static Tensor load(Path file) throws IOException {
        // Picked per call rather than in a static initialiser, which must never load a native library.
        return new FacePreprocessor(ImageDecoder.best()).tensor(file);
    }

    /** Decodes {@code file} and resizes it to 112x112, as the authors' transform does before ToTensor. */
    public RgbImage face(Path file) throws IOException {
        return face(Files.readAllBytes(file), file.toString());
    }

    /**
     * @throws ImageTooLargeException the header declares more pixels than the budget (nothing is decoded)
     * @throws ImageFormatException the data is not a decodable JPEG or PNG, or declares a zero size
     */
    public RgbImage face(byte[] data, String name) {
        return resize(decode(data, name));
    }

    /** {@link #face(byte[], String)} for an image whose header the caller has read already ({@code declared}). */
    public RgbImage face(byte[] data, ImageDimensions declared, String name) {
        return resize(decode(data, declared, name));
    }

    /**
     * The whole image at its own size, within the same pixel budget (a camera frame to find faces in).
     *
     * @throws ImageTooLargeException the header declares more pixels than the budget (nothing is decoded)
     * @throws ImageFormatException the data is not a decodable JPEG or PNG, or declares a zero size
     */
    public RgbImage decode(byte[] data, String name) {
        return decode(data, decoder.dimensions(data, name), name);
    }

    /**
     * {@link #decode(byte[], String)} for an image whose header the caller has read already: a server
     * reads a frame's header once, when it arrives, and the size travels with the frame.
     *
     * @param declared the size {@code data}'s header declares
     */
    public RgbImage decode(byte[] data, ImageDimensions declared, String name) {
        budget.check(declared, name);
        RgbImage image = decoder.decode(data, name);
        // The decoders size their output from the same header; a mismatch means the budget checked the wrong size.
        if (image.width() != declared.width() || image.height() != declared.height()) {
            throw new ImageFormatException(name + ": decoded " + image.width() + "x" + image.height()
                    + " pixels, but the header declares " + declared);
        }
        return image;
    }

    /** A [1, 3, 112, 112] float32 tensor for {@code file}. */
    public Tensor tensor(Path file) throws IOException {
        return FaceNormalizer.toTensor(face(file));
    }

    /** Writes {@code file} as sample {@code index} of a [N, 3, 112, 112] batch. */
    public void writeInto(Tensor batch, int index, Path file) throws IOException {
        FaceNormalizer.writeInto(batch, index, face(file));
    }

    private static RgbImage resize(RgbImage image) {
        return PillowResize.bilinear(image, FaceNormalizer.SIZE, FaceNormalizer.SIZE);
    }
}
