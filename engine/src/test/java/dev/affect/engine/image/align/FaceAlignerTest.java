package dev.affect.engine.image.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.RgbImage;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {

    @Test
    void ownMatricesGiveCropsWithinTheReadmeTolerance() {
        // README: with our own (not the stored) matrix and the fixed-point warp, max 2 levels on 2 pixels.
        RgbImage scene = AlignFixtures.image("scene.png");
        long[] poses = AlignFixtures.npy("align_pose_index.npy").toLongArray();
        FaceAligner aligner = new FaceAligner();
        for (int k = 0; k < 3; k++) {
            FaceAligner.Alignment a = aligner.align(scene, AlignFixtures.landmarks(k));
            assertEquals(poses[k], a.poseIndex());
            assertEquals(112, a.crop().width());
            assertEquals(112, a.crop().height());
            int[] stats = AlignFixtures.diffStats(AlignFixtures.rgbNpy("align_" + k + ".npy"), a.crop());
            System.out.printf("align crop %d with own matrix: max abs diff %d on %d channel values%n", k, stats[0], stats[1]);
            assertTrue(stats[0] <= 2 && stats[1] <= 6, "crop " + k + ": max " + stats[0] + " on " + stats[1] + " values");
        }
    }

    @Test
    void astronautMatchesTheReleasedPipeline() {
        JsonNode json = AlignFixtures.astronautDetections();
        JsonNode face = json.get("faces").get(0);
        double[] landmarks = new double[10];
        for (int p = 0; p < 5; p++) {
            landmarks[2 * p] = face.get("landmarks_xy").get(p).get(0).asDouble();
            landmarks[2 * p + 1] = face.get("landmarks_xy").get(p).get(1).asDouble();
        }
        double[] expectedMatrix = new double[6];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                expectedMatrix[r * 3 + c] = json.get("alignment").get("matrix_2x3").get(r).get(c).asDouble();
            }
        }
        RgbImage photo = AlignFixtures.image("real/astronaut.png");
        RgbImage expectedCrop = AlignFixtures.rgbNpy("real/astronaut_aligned.npy");

        // The json matrix is skimage's float64 arithmetic on these (double) landmarks.
        FaceAligner.Alignment a = new FaceAligner().align(photo, landmarks);
        assertEquals(json.get("alignment").get("template_index").asInt(), a.poseIndex());
        assertArrayEquals(expectedMatrix, a.matrix().toArray(), 1e-9);
        int[] stats = AlignFixtures.diffStats(expectedCrop, a.crop());
        System.out.printf("astronaut crop (float64 landmarks): matrix diff %.3g, crop max abs diff %d on %d values%n",
                SimilarityEstimatorTest.maxAbs(a.matrix(), AffineMatrix.of(expectedMatrix)), stats[0], stats[1]);
        assertTrue(stats[0] <= 2 && stats[1] <= 6, "max " + stats[0] + " on " + stats[1]);
        // With the stored matrix the warp alone must be bit-exact.
        assertArrayEquals(expectedCrop.pixels(), AffineWarp.warp(photo, AffineMatrix.of(expectedMatrix), 112, 112).pixels());

        // The same landmarks as float32 (a float32 detector): within the matrix tolerance.
        float[] asFloat = new float[10];
        for (int i = 0; i < 10; i++) {
            asFloat[i] = (float) landmarks[i];
        }
        FaceAligner.Alignment f = new FaceAligner().align(photo, asFloat);
        double diff = SimilarityEstimatorTest.maxAbs(f.matrix(), AffineMatrix.of(expectedMatrix));
        int[] fstats = AlignFixtures.diffStats(expectedCrop, f.crop());
        System.out.printf("astronaut (float32 landmarks): matrix diff %.3g, crop max abs diff %d on %d values%n",
                diff, fstats[0], fstats[1]);
        assertEquals(a.poseIndex(), f.poseIndex());
        assertTrue(diff < 1e-4, "matrix " + diff);
        assertTrue(fstats[0] <= 2, "crop max " + fstats[0]);
    }

    @Test
    void crop224IsTheSameFaceAtTwiceTheSize() {
        RgbImage scene = AlignFixtures.image("scene.png");
        FaceAligner.Alignment big = new FaceAligner(224).align(scene, AlignFixtures.landmarks(0));
        assertEquals(224, big.crop().width());
        assertEquals(224, big.crop().height());
        assertEquals(new FaceAligner().align(scene, AlignFixtures.landmarks(0)).poseIndex(), big.poseIndex());
    }

    @Test
    void degenerateLandmarksGiveAClearError() {
        RgbImage scene = AlignFixtures.image("scene.png");
        float[] same = new float[10];
        java.util.Arrays.fill(same, 100f);
        assertEquals("landmarks", assertThrows(InvalidInputException.class, () -> new FaceAligner().align(scene, same)).field());
        float[] nan = AlignFixtures.landmarks(1);
        nan[0] = Float.NaN;
        assertEquals("landmarks", assertThrows(InvalidInputException.class, () -> new FaceAligner().align(scene, nan)).field());
        assertEquals("crop_size", assertThrows(InvalidInputException.class, () -> new FaceAligner(100)).field());
    }
}
