package dev.affect.engine.model.retinaface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The released weights end to end on the astronaut photograph (real/): one face, score within 1e-3
 * of the authors', box and landmarks within 1 px; then size buckets and degenerate images.
 */
class RetinaFaceDetectorTest {

    static RetinaFaceDetector released(Backend backend, DetectionConfig cfg) throws IOException {
        return RetinaFaceDetector.load(RetinaFixtures.file("real/mobilenet0.25_Final.pth"), backend, cfg);
    }

    static RgbImage astronaut() throws IOException {
        return ImageDecoder.imageIo().decode(RetinaFixtures.file("real/astronaut.png"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void findsTheAstronautsFaceAsTheAuthorsDo(String backendName) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(Files.readString(RetinaFixtures.file("real/astronaut_detections.json")))
                .get("faces");
        assertEquals(1, expected.size());
        JsonNode face = expected.get(0);
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFaceDetector detector = released(backend, DetectionConfig.defaults())) {
            List<FaceDetection> faces = detector.detect(astronaut());
            assertEquals(1, faces.size(), faces.toString());
            FaceDetection f = faces.getFirst();
            double scoreDiff = Math.abs(f.score() - face.get("score").asDouble());
            assertTrue(scoreDiff <= 1e-3, "score " + f.score());
            float[] box = {f.x1(), f.y1(), f.x2(), f.y2()};
            double boxDiff = 0;
            for (int i = 0; i < 4; i++) {
                boxDiff = Math.max(boxDiff, Math.abs(box[i] - face.get("box_xyxy").get(i).asDouble()));
            }
            double lmDiff = 0;
            for (int k = 0; k < 5; k++) {
                lmDiff = Math.max(lmDiff, Math.abs(f.landmarkX(k) - face.get("landmarks_xy").get(k).get(0).asDouble()));
                lmDiff = Math.max(lmDiff, Math.abs(f.landmarkY(k) - face.get("landmarks_xy").get(k).get(1).asDouble()));
            }
            System.out.printf("retinaface %s astronaut: score diff %.3e, box max diff %.3e px, landmarks max diff %.3e px%n",
                    backendName, scoreDiff, boxDiff, lmDiff);
            assertTrue(boxDiff <= 1.0, "box " + f);
            assertTrue(lmDiff <= 1.0, "landmarks of " + f);
            assertEquals(1, detector.bucketCount());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void bucketsAreCompiledOncePerPaddedSize(String backendName) throws IOException {
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFaceDetector detector = released(backend, DetectionConfig.defaults())) {
            RgbImage full = astronaut();
            FaceDetection whole = detector.detect(full).getFirst();
            // the top 480 rows: resized 300 x 320, padded to the 320 x 320 bucket (already compiled)
            RgbImage cropped = crop(full, 512, 480);
            List<FaceDetection> faces = detector.detect(cropped);
            assertEquals(1, detector.bucketCount());
            assertEquals(1, faces.size(), faces.toString());
            FaceDetection f = faces.getFirst();
            assertTrue(Math.abs(f.x1() - whole.x1()) < 2 && Math.abs(f.y2() - whole.y2()) < 2, f + " vs " + whole);
            // 512 wide x 400 high: 320 x 250, padded to 256 rows: a second bucket, reused by 512 x 390 (244 rows)
            detector.detect(crop(full, 512, 400));
            assertEquals(2, detector.bucketCount());
            detector.detect(crop(full, 512, 390));
            assertEquals(2, detector.bucketCount());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void degenerateImagesGetAResultOrAPreciseError(String backendName) throws IOException {
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFaceDetector detector = released(backend, DetectionConfig.defaults())) {
            // 1x1: resized to 320 x 320 like any image; a flat colour has no face
            assertEquals(List.of(), detector.detect(new RgbImage(1, 1, new byte[] {(byte) 200, 100, 50})));
            // very wide and very tall: the longer side is capped at 320, the shorter kept at >= 1 pixel
            assertEquals(List.of(), detector.detect(new RgbImage(10000, 10, new byte[10000 * 10 * 3])));
            assertEquals(List.of(), detector.detect(new RgbImage(3, 5000, new byte[3 * 5000 * 3])));
            // grey-scale (one channel, read as R = G = B): the astronaut in grey is still one face
            RgbImage rgb = astronaut();
            byte[] grey = new byte[rgb.width() * rgb.height()];
            for (int i = 0; i < grey.length; i++) {
                grey[i] = rgb.pixels()[3 * i + 1];
            }
            List<FaceDetection> faces = detector.detect(grey, rgb.width(), rgb.height(), 1);
            assertEquals(1, faces.size(), faces.toString());
            assertTrue(faces.getFirst().score() > 0.9f);
            // bad shapes: precise errors naming the image
            assertEquals("image", assertThrows(InvalidInputException.class, () -> detector.detect(new byte[0], 0, 0, 3)).field());
            assertEquals("image", assertThrows(InvalidInputException.class, () -> detector.detect(new byte[12], 2, 2, 2)).field());
            assertEquals("image", assertThrows(InvalidInputException.class, () -> detector.detect(new byte[11], 2, 2, 3)).field());
            assertEquals("image", assertThrows(InvalidInputException.class, () -> detector.detect(null)).field());
            assertTrue(detector.bucketCount() <= 4, "buckets " + detector.bucketCount());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu"})
    void aHugeImageIsBoundedByTheNetworkInput(String backendName) throws IOException {
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFaceDetector detector = released(backend, DetectionConfig.defaults())) {
            // 10000 x 10000 (300 MB of pixels, the caller's): resized to 320 x 320, no copy of the image made
            RgbImage huge = new RgbImage(10000, 10000, new byte[10000 * 10000 * 3]);
            assertEquals(List.of(), detector.detect(huge));
            assertEquals(1, detector.bucketCount());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference"})
    void exactSizesKeepABoundedNumberCompiledAndStillAnswer(String backendName) throws IOException {
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFaceDetector detector = released(backend, DetectionConfig.defaults().withBucketMultiple(1))) {
            RgbImage full = astronaut();
            FaceDetection first = detector.detect(full).getFirst();
            for (int i = 0; i < RetinaFace.MAX_COMPILED + 2; i++) { // 2 rows more each: a new resized height each
                detector.detect(crop(full, 512, 400 + 2 * i));
            }
            assertEquals(RetinaFace.MAX_COMPILED, detector.bucketCount(), "least recently used shapes are dropped");
            assertEquals(first, detector.detect(full).getFirst(), "a dropped shape is compiled again, same answer");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference"})
    void everyBucketCanBeCompiledAhead(String backendName) throws IOException {
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFaceDetector detector = released(backend, DetectionConfig.defaults().withBucketMultiple(160))) {
            detector.compileAllBuckets();
            assertEquals(3, detector.bucketCount()); // 160 x 320, 320 x 160, 320 x 320
            detector.detect(crop(astronaut(), 512, 200)); // 320 x 125 -> the 160 x 320 bucket
            assertEquals(3, detector.bucketCount());
        }
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFaceDetector detector = released(backend, DetectionConfig.defaults())) {
            detector.close();
            detector.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> detector.detect(new RgbImage(1, 1, new byte[3])));
        }
    }

    static RgbImage crop(RgbImage img, int width, int height) {
        byte[] px = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(img.pixels(), y * img.width() * 3, px, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, px);
    }
}
