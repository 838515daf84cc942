package dev.affect.engine.image;

import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The DDAMFN eval transform end to end: decode to RGB, Pillow-bilinear resize to 112x112, ToTensor +
 * ImageNet normalisation (docs/ddamfn.md section 5).
 */
public final class FacePreprocessor {
    private final ImageDecoder decoder;

    public FacePreprocessor(ImageDecoder decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
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
        return resize(decoder.decode(file));
    }

    public RgbImage face(byte[] data, String name) {
        return resize(decoder.decode(data, name));
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
