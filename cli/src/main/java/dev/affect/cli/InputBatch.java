package dev.affect.cli;

import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.model.Ddamfn;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code infer --input} accepts: a normalised (N,3,112,112) .npy, one image, or a folder of
 * images (sorted by name). Produces one tensor and a name per row.
 */
record InputBatch(Tensor tensor, List<String> names) {

    static InputBatch load(Path input) throws IOException {
        if (!Files.exists(input)) {
            throw new java.nio.file.NoSuchFileException(input.toString());
        }
        if (Files.isDirectory(input)) {
            return folder(input);
        }
        if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return npy(input);
        }
        Tensor t = FacePreprocessor.load(input);
        return new InputBatch(t, List.of(input.getFileName().toString()));
    }

    private static InputBatch npy(Path file) throws IOException {
        Tensor t = NpyReader.read(file);
        Shape s = t.shape();
        if (s.rank() != 4 || s.dim(1) != 3 || s.dim(2) != 112 || s.dim(3) != 112 || s.dim(0) < 1) {
            throw new IllegalArgumentException(file + ": expected a normalised (N, 3, 112, 112) array, got " + s);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < s.dim(0); i++) {
            names.add(file.getFileName() + "[" + i + "]");
        }
        return new InputBatch(t.toF32(), names);
    }

    private static InputBatch folder(Path dir) throws IOException {
        List<Path> images;
        try (Stream<Path> files = Files.list(dir)) {
            images = files.filter(Files::isRegularFile).filter(InputBatch::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no .jpg, .jpeg or .png images in this folder");
        }
        Tensor batch = Tensor.zeros(Ddamfn.inputShape(images.size()));
        FacePreprocessor pre = new FacePreprocessor(dev.affect.engine.image.ImageDecoder.imageIo());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            pre.writeInto(batch, i, images.get(i));
            names.add(images.get(i).getFileName().toString());
        }
        return new InputBatch(batch, names);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}
