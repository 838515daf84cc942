package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.engine.io.AtomicFiles;
import dev.affect.engine.model.retinaface.FaceDetection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * detections.json (and infer's faces.json): photo file name to its faces in descending score, each
 * {@code {"box": [x1, y1, x2, y2], "score": s, "landmarks": [[x, y] x 5], "crop": "<file>"}} in the
 * photo's own pixels; a photo without a face maps to {@code []}.
 */
final class DetectionsJson {
    private DetectionsJson() {
    }

    /** One face's entry; landmarks in RetinaFace's order: left eye, right eye, nose, left and right mouth corner. */
    static Map<String, Object> face(FaceDetection d, String crop) {
        Map<String, Object> face = new LinkedHashMap<>();
        face.put("box", new float[] {d.x1(), d.y1(), d.x2(), d.y2()});
        face.put("score", d.score());
        float[][] landmarks = new float[5][];
        for (int k = 0; k < 5; k++) {
            landmarks[k] = new float[] {d.landmarkX(k), d.landmarkY(k)};
        }
        face.put("landmarks", landmarks);
        face.put("crop", crop);
        return face;
    }

    static void write(Path file, Map<String, List<Map<String, Object>>> photos) throws IOException {
        AtomicFiles.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(photos));
    }
}
