package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.FaceDetection;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Whole photos in, one aligned 112x112 PNG per face out ({@code <photo>_f<i>.png}, i in descending
 * score), with each face's detection kept for the json. Photos are handled one at a time, so memory
 * holds one decoded photo whatever the number of photos.
 */
final class FaceExtraction {
    /** One face of a photo: what RetinaFace found (original-image pixels) and its crop's file name. */
    record Extracted(FaceDetection detection, String crop) {
    }

    /** Sees each photo once decoded, with its faces, best first (to draw them). */
    @FunctionalInterface
    interface PhotoListener {
        void photo(String base, RgbImage image, List<FaceDetection> faces) throws IOException;
    }

    private final FaceFinder finder;
    private final PhotoReader reader;

    FaceExtraction(FaceFinder finder, PhotoReader reader) {
        this.finder = finder;
        this.reader = reader;
    }

    /**
     * The photos {@code input} names: itself, or the .jpg/.jpeg/.png files of a folder in name order.
     *
     * @param option how the command calls the input, for the error when a folder has no image
     */
    static List<Path> photos(Path input, String option) throws IOException {
        if (!Files.exists(input)) {
            throw new NoSuchFileException(input.toString());
        }
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        List<Path> images;
        try (Stream<Path> files = Files.list(input)) {
            images = files.filter(Files::isRegularFile).filter(InferInput::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new InvalidInputException(option, input + ": no .jpg, .jpeg or .png images in this folder");
        }
        return images;
    }

    /**
     * The name each photo's outputs start with: its name without the extension, or the whole name
     * where two photos would share it ({@code a.jpg} and {@code a.png}).
     */
    static Map<Path, String> baseNames(List<Path> photos) {
        Map<String, Integer> stems = new HashMap<>();
        photos.forEach(p -> stems.merge(stem(p), 1, Integer::sum));
        Map<Path, String> bases = new LinkedHashMap<>();
        for (Path p : photos) {
            bases.put(p, stems.get(stem(p)) > 1 ? p.getFileName().toString() : stem(p));
        }
        return bases;
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * Detects and aligns the faces of every photo and writes their crops into {@code cropDir}.
     *
     * @return photo file name to its faces, best first (an empty list for a photo without a face), in photo order
     */
    Map<String, List<Extracted>> run(List<Path> photos, Path cropDir, PhotoListener listener) throws IOException {
        Map<Path, String> bases = baseNames(photos);
        try {
            Files.createDirectories(cropDir);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("--out", e.getFile() + " exists and is not a folder", e);
        }
        Map<String, List<Extracted>> result = new LinkedHashMap<>();
        for (Path photo : photos) {
            RgbImage image = reader.read(photo);
            String base = bases.get(photo);
            List<FaceDetection> detections = new ArrayList<>();
            List<Extracted> faces = new ArrayList<>();
            for (FaceFinder.Face face : finder.find(image)) {
                String crop = base + "_f" + faces.size() + ".png";
                PngImages.write(cropDir.resolve(crop), face.crop());
                faces.add(new Extracted(face.detection(), crop));
                detections.add(face.detection());
            }
            listener.photo(base, image, detections);
            result.put(photo.getFileName().toString(), List.copyOf(faces));
        }
        return result;
    }
}
