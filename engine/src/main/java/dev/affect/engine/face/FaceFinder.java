package dev.affect.engine.face;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.image.align.FaceAligner;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.engine.model.retinaface.FaceDetection;
import dev.affect.engine.model.retinaface.RetinaFaceDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole frames in, aligned 112x112 faces out, as the DDAMFN++ authors prepare their inputs:
 * RetinaFace finds the faces ({@link RetinaFaceDetector}), each is warped to the best-fitting of
 * the five pose templates from its five landmarks ({@link FaceAligner}). Owns its detector.
 */
public final class FaceFinder implements AutoCloseable {
    private final RetinaFaceDetector detector;
    private final FaceAligner aligner = new FaceAligner();

    /** One face of a frame: what the detector saw (original-image pixels) and its aligned crop. */
    public record Face(FaceDetection detection, FaceAligner.Alignment alignment) {
        public RgbImage crop() {
            return alignment.crop();
        }
    }

    public FaceFinder(RetinaFaceDetector detector) {
        this.detector = detector;
    }

    /** Loads RetinaFace weights ({@code .pth} or {@code .safetensors}) onto {@code backend}, which stays the caller's. */
    public static FaceFinder load(Path weights, Backend backend, DetectionConfig config) throws IOException {
        return new FaceFinder(RetinaFaceDetector.load(weights, backend, config));
    }

    public RetinaFaceDetector detector() {
        return detector;
    }

    /** The faces of {@code image}, best score first, each aligned. */
    public List<Face> find(RgbImage image) {
        List<Face> faces = new ArrayList<>();
        for (FaceDetection d : detector.detect(image)) {
            faces.add(align(image, d));
        }
        return faces;
    }

    /** The faces of {@code image}, best score first, without alignment. */
    public List<FaceDetection> detect(RgbImage image) {
        return detector.detect(image);
    }

    /** Aligns one detection of {@code image} to 112x112. */
    public Face align(RgbImage image, FaceDetection detection) {
        return new Face(detection, aligner.align(image, detection.landmarks()));
    }

    @Override
    public void close() {
        detector.close();
    }
}
