package dev.affect.cli.load;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The frames a command sends: a folder's .jpg/.jpeg/.png files in name order, read once into memory
 * (as encoded bytes, or as normalised [3,112,112] tensors for the Open Inference Protocol), or a
 * normalised .npy [N,3,112,112].
 */
public final class FrameSource {
    public static final int CHW = 3 * 112 * 112;

    private final List<Path> files;
    private final List<byte[]> images;

    private FrameSource(List<Path> files, List<byte[]> images) {
        this.files = files;
        this.images = images;
    }

    /** The images of {@code dir}, in name order; bad input names {@code option}. */
    public static FrameSource folder(String option, Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir + " (" + option + " wants a folder of .jpg/.jpeg/.png images)");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).filter(FrameSource::isImage).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(option, dir + ": no .jpg, .jpeg or .png images in this folder");
        }
        List<byte[]> images = new ArrayList<>(files.size());
        for (Path f : files) {
            images.add(Files.readAllBytes(f));
        }
        return new FrameSource(files, images);
    }

    public int size() {
        return images.size();
    }

    /** Frame {@code i}, cycling. */
    public byte[] image(long i) {
        return images.get((int) Math.floorMod(i, (long) images.size()));
    }

    public Path file(long i) {
        return files.get((int) Math.floorMod(i, (long) files.size()));
    }

    /**
     * Normalised [3,112,112] tensors: decoded, Pillow-bilinear resized to 112x112 and ImageNet-normalised
     * here in the client (the engine's own transform), or the rows of a normalised .npy.
     */
    public static List<float[]> tensors(String option, Path input) throws IOException {
        if (!Files.exists(input)) {
            throw new NoSuchFileException(input.toString());
        }
        List<float[]> out = new ArrayList<>();
        if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            Tensor t = NpyReader.read(input);
            Shape s = t.shape();
            if (s.rank() != 4 || s.dim(1) != 3 || s.dim(2) != 112 || s.dim(3) != 112 || s.dim(0) < 1) {
                throw new InvalidInputException(option, input + ": expected a normalised (N, 3, 112, 112) array, got " + s);
            }
            float[] all = t.toF32().toFloatArray();
            for (int n = 0; n < s.dim(0); n++) {
                out.add(java.util.Arrays.copyOfRange(all, n * CHW, (n + 1) * CHW));
            }
            return out;
        }
        FrameSource images = folder(option, input);
        FacePreprocessor pre = new FacePreprocessor(ImageDecoder.best());
        for (Path f : images.files) {
            out.add(pre.tensor(f).toFloatArray());
        }
        return out;
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}
