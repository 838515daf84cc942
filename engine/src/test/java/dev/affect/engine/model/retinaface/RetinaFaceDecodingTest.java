package dev.affect.engine.model.retinaface;

import static dev.affect.engine.model.retinaface.RetinaFixtures.expectClose;
import static dev.affect.engine.model.retinaface.RetinaFixtures.floats;
import static dev.affect.engine.model.retinaface.RetinaFixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.InvalidInputException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Priors, decoding and selection against the authors' Python (fixtures/retinaface): priors exact to
 * 1e-7, boxes and landmarks decoded from the fixture's raw outputs within 1e-3 px, and the three
 * post-processing cases with indices, order and scores exact.
 */
class RetinaFaceDecodingTest {
    static final int W = 320;
    static final int H = 240;

    @Test
    void priorsMatchPriorBox() throws IOException {
        float[] priors = Priors.of(H, W);
        assertEquals(3160 * 4, priors.length);
        expectClose(priors, floats("priors.npy"), 1e-7, 0, "priors 240x320");
    }

    @Test
    void decodedBoxesAndLandmarksMatch() throws IOException {
        float[] priors = floats("priors.npy");
        float[] boxes = BoxDecoder.boxes(floats("loc.npy"), priors, W, H, 1.0);
        float[] landmarks = BoxDecoder.landmarks(floats("landms.npy"), priors, W, H, 1.0);
        expectClose(boxes, floats("boxes_decoded.npy"), 1e-3, 0, "decoded boxes");
        expectClose(landmarks, floats("landms_decoded.npy"), 1e-3, 0, "decoded landmarks");
        float[] conf = floats("conf.npy");
        float[] scores = floats("scores.npy");
        for (int i = 0; i < scores.length; i++) {
            assertEquals(scores[i], conf[2 * i + 1], "score column of prior " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "detect,   0.5, 5000, 0.4,  750",
        "truncate, 0.5, 8,    0.4,  3",
        "ddamfn,   0.6, 1,    0.35, 0",
    })
    void postProcessingCaseMatches(String name, float confidence, int topK, float nms, int keepTopK) throws IOException {
        DetectionConfig cfg = DetectionConfig.defaults().withThresholds(confidence, nms)
                .withTopK(topK, keepTopK == 0 ? DetectionConfig.ALL : keepTopK);
        float[] priors = floats("priors.npy");
        float[] boxes = BoxDecoder.boxes(floats("postproc_loc.npy"), priors, W, H, 1.0);
        float[] landmarks = BoxDecoder.landmarks(floats("postproc_landms.npy"), priors, W, H, 1.0);
        float[] conf = floats("postproc_conf.npy");
        float[] scores = new float[conf.length / 2];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = conf[2 * i + 1];
        }
        int[] kept = PostProcessing.keep(boxes, scores, cfg);
        long[] expected = longs("postproc_" + name + "_indices.npy");
        assertArrayEquals(Arrays.stream(expected).mapToInt(v -> (int) v).toArray(), kept, name + " kept priors in order");

        List<FaceDetection> faces = PostProcessing.detections(kept, boxes, scores, landmarks);
        float[] gotBoxes = new float[4 * faces.size()];
        float[] gotScores = new float[faces.size()];
        float[] gotLandmarks = new float[10 * faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            FaceDetection f = faces.get(i);
            System.arraycopy(new float[] {f.x1(), f.y1(), f.x2(), f.y2()}, 0, gotBoxes, 4 * i, 4);
            gotScores[i] = f.score();
            System.arraycopy(f.landmarks(), 0, gotLandmarks, 10 * i, 10);
        }
        assertArrayEquals(floats("postproc_" + name + "_scores.npy"), gotScores, name + " scores (exact)");
        expectClose(gotBoxes, floats("postproc_" + name + "_boxes.npy"), 1e-3, 0, name + " boxes");
        expectClose(gotLandmarks, floats("postproc_" + name + "_landms.npy"), 1e-3, 0, name + " landmarks");
    }

    @Test
    void thresholdIsStrictAndNmsKeepsEqualIou() {
        // two identical 10x10 boxes (IoU 1) and one far away; scores 0.9, 0.6 (not > 0.6), 0.8
        float[] boxes = {0, 0, 9, 9, 0, 0, 9, 9, 100, 100, 109, 109};
        float[] scores = {0.9f, 0.6f, 0.8f};
        assertArrayEquals(new int[] {0, 2}, PostProcessing.keep(boxes, scores, DetectionConfig.defaults()));
        float[] twins = {0, 0, 9, 9, 0, 0, 9, 9};
        float[] both = {0.9f, 0.7f};
        // IoU 1 > 0.35: the second is suppressed; with threshold 1, IoU <= threshold survives
        assertArrayEquals(new int[] {0}, PostProcessing.keep(twins, both, DetectionConfig.defaults()));
        assertArrayEquals(new int[] {0, 1}, PostProcessing.keep(twins, both, DetectionConfig.defaults().withThresholds(0.6f, 1f)));
        // equal scores: higher prior index first (numpy's stable argsort reversed)
        assertArrayEquals(new int[] {1, 0}, PostProcessing.keep(new float[] {0, 0, 9, 9, 50, 50, 59, 59},
                new float[] {0.8f, 0.8f}, DetectionConfig.defaults()));
    }

    @Test
    void badConfigurationIsNamed() {
        DetectionConfig d = DetectionConfig.defaults();
        assertEquals("confidence_threshold", assertThrows(InvalidInputException.class,
                () -> d.withThresholds(1.5f, 0.3f)).field());
        assertEquals("nms_threshold", assertThrows(InvalidInputException.class, () -> d.withThresholds(0.5f, Float.NaN)).field());
        assertEquals("top_k", assertThrows(InvalidInputException.class, () -> d.withTopK(0, 5)).field());
        assertEquals("bucket_multiple", assertThrows(InvalidInputException.class, () -> d.withBucketMultiple(0)).field());
        assertEquals(0.6f, d.confidenceThreshold());
        assertEquals(0.35f, d.nmsThreshold());
        assertEquals(DetectionConfig.ALL, d.topK());
        assertEquals(DetectionConfig.ALL, d.keepTopK());
        assertEquals(320, d.targetSize());
    }
}
