package dev.affect.cli;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.FaceDetection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Finds the faces of whole photos with RetinaFace and writes each one aligned to 112x112, as the
 * DDAMFN++ authors prepare their inputs, with detections.json listing every photo's faces.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Detect faces in a photo or a folder of photos (RetinaFace) and write each face aligned to 112x112.")
final class DetectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE|DIR", description = "A .jpg/.png photo, or a folder of them (in name order).")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for <photo>_f<i>.png (one per face, i in descending score) and detections.json.")
    Path out;

    @Option(names = "--draw", description = "Also write <photo>_detections.png: the photo with boxes and landmarks drawn.")
    boolean draw;

    @Mixin
    DetectionOptions detection;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        detection.check();
        backendChoice.check();
        List<Path> photos = FaceExtraction.photos(input, "IMAGE|DIR");
        PhotoReader reader = new PhotoReader(ImageDecoder.best(), detection.budget());
        Map<String, List<FaceExtraction.Extracted>> found;
        try (Backend backend = backendChoice.open(); FaceFinder finder = detection.load(backend)) {
            found = new FaceExtraction(finder, reader).run(photos, out, draw ? this::drawn : (base, image, faces) -> { });
        }
        Map<String, List<Map<String, Object>>> json = new LinkedHashMap<>();
        int faces = 0;
        for (Map.Entry<String, List<FaceExtraction.Extracted>> photo : found.entrySet()) {
            List<Map<String, Object>> entries = new ArrayList<>();
            for (FaceExtraction.Extracted f : photo.getValue()) {
                entries.add(DetectionsJson.face(f.detection(), f.crop()));
            }
            json.put(photo.getKey(), entries);
            faces += entries.size();
        }
        // Last, so a run that failed half way leaves no detections.json claiming to describe its crops.
        DetectionsJson.write(out.resolve("detections.json"), json);
        spec.commandLine().getOut().println("found " + faces + " face" + (faces == 1 ? "" : "s") + " in " + photos.size()
                + " photo" + (photos.size() == 1 ? "" : "s") + "; wrote " + out.resolve("detections.json"));
        return 0;
    }

    private void drawn(String base, RgbImage image, List<FaceDetection> faces) throws IOException {
        Files.createDirectories(out);
        PngImages.write(out.resolve(base + "_detections.png"), DetectionDrawing.draw(image, faces));
    }
}
