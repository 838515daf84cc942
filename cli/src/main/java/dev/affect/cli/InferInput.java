package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code infer --input} accepts: a normalised (N,3,112,112) .npy (memory-mapped), one image,
 * or a folder of images sorted by name. Rows are produced batch by batch, so a folder of any size
 * needs memory for one batch only.
 */
interface InferInput {

    int count();

    String name(int row);

    /** Writes rows [start, start + batch.dim(0)) into the batch tensor. */
    void fill(Tensor batch, int start) throws IOException;

    static InferInput open(Path input) throws IOException {
        if (!Files.exists(input)) {
            throw new NoSuchFileException(input.toString());
        }
        if (Files.isDirectory(input)) {
            return images(folder(input));
        }
        if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return array(input);
        }
        return images(List.of(input));
    }

    private static InferInput array(Path file) throws IOException {
        Tensor t = NpyReader.read(file);
        Shape s = t.shape();
        if (s.rank() != 4 || s.dim(1) != 3 || s.dim(2) != 112 || s.dim(3) != 112 || s.dim(0) < 1) {
            throw new InvalidInputException("--input", file + ": expected a normalised (N, 3, 112, 112) array, got " + s);
        }
        return new InferInput() {
            public int count() {
                return s.dim(0);
            }

            public String name(int row) {
                return file.getFileName() + "[" + row + "]";
            }

            public void fill(Tensor batch, int start) {
                batch.copyFrom(t.slice(start, start + batch.shape().dim(0)));
            }
        };
    }

    private static List<Path> folder(Path dir) throws IOException {
        List<Path> images;
        try (Stream<Path> files = Files.list(dir)) {
            images = files.filter(Files::isRegularFile).filter(InferInput::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new InvalidInputException("--input", dir + ": no .jpg, .jpeg or .png images in this folder");
        }
        return images;
    }

    private static InferInput images(List<Path> images) {
        List<String> names = new ArrayList<>();
        images.forEach(p -> names.add(p.getFileName().toString()));
        return images(images, names);
    }

    /** Images read batch by batch, row i called {@code names.get(i)} (infer --detect: the aligned crops of its photos). */
    static InferInput images(List<Path> images, List<String> names) {
        if (images.size() != names.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + names.size() + " names");
        }
        FacePreprocessor pre = new FacePreprocessor(ImageDecoder.best());
        return new InferInput() {
            public int count() {
                return images.size();
            }

            public String name(int row) {
                return names.get(row);
            }

            public void fill(Tensor batch, int start) throws IOException {
                for (int i = 0; i < batch.shape().dim(0); i++) {
                    pre.writeInto(batch, i, images.get(start + i));
                }
            }
        };
    }

    /** A .jpg, .jpeg or .png file name, in any case. */
    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}
