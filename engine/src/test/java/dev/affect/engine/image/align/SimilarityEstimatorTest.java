package dev.affect.engine.image.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimilarityEstimatorTest {
    /** README tolerance for the matrix. */
    private static final double ATOL = 1e-4;

    @Test
    void matricesAndPosesMatchTheAuthorsEstimateNorm() {
        long[] poses = AlignFixtures.npy("align_pose_index.npy").toLongArray();
        double worst = 0;
        double worstDouble = 0;
        for (int k = 0; k < 3; k++) {
            float[] landmarks = AlignFixtures.landmarks(k);
            SimilarityEstimator.Fit fit = SimilarityEstimator.bestFit(landmarks, 112);
            assertEquals(poses[k], fit.poseIndex(), "pose of set " + k);
            double diff = maxAbs(fit.matrix(), AlignFixtures.matrix(k));
            assertTrue(diff <= ATOL, "set " + k + ": matrix differs by " + diff);
            worst = Math.max(worst, diff);

            double[] asDouble = new double[10];
            for (int i = 0; i < 10; i++) {
                asDouble[i] = landmarks[i];
            }
            SimilarityEstimator.Fit fit64 = SimilarityEstimator.bestFit(asDouble, 112);
            assertEquals(poses[k], fit64.poseIndex());
            worstDouble = Math.max(worstDouble, maxAbs(fit64.matrix(), AlignFixtures.matrix(k)));
        }
        System.out.printf("align matrices: max abs diff float32 emulation %.3g, float64 arithmetic %.3g%n",
                worst, worstDouble);
        // The float32 emulation measures 2.3e-5 against 8.3e-5 for float64 arithmetic: keep it there.
        assertTrue(worst < 4e-5, "float32 emulation drifted: " + worst);
        assertTrue(worst < worstDouble, "float32 emulation should beat float64 arithmetic");
    }

    @Test
    void recoversAKnownSimilarityExactly() {
        // Landmarks = the inverse of a known similarity applied to the frontal template: the estimate must
        // give that similarity back, with near-zero fitting error, and pick the frontal template.
        Random random = new Random(7);
        float[] template = FaceTemplates.template(FaceTemplates.FRONTAL, 112);
        for (int trial = 0; trial < 20; trial++) {
            double angle = (random.nextDouble() - 0.5) * 0.6;
            double scale = 0.3 + random.nextDouble() * 2;
            double tx = random.nextDouble() * 300;
            double ty = random.nextDouble() * 300;
            double[] landmarks = new double[10];
            for (int p = 0; p < 5; p++) {
                // forward map (image -> crop): s R x + t; landmarks are its inverse image of the template
                double u = template[2 * p] - tx;
                double v = template[2 * p + 1] - ty;
                landmarks[2 * p] = (Math.cos(angle) * u + Math.sin(angle) * v) / scale;
                landmarks[2 * p + 1] = (-Math.sin(angle) * u + Math.cos(angle) * v) / scale;
            }
            AffineMatrix m = SimilarityEstimator.estimate(landmarks, template);
            AffineMatrix expected = new AffineMatrix(scale * Math.cos(angle), -scale * Math.sin(angle), tx,
                    scale * Math.sin(angle), scale * Math.cos(angle), ty);
            assertTrue(maxAbs(m, expected) < 1e-4, "trial " + trial + ": " + m + " vs " + expected);
            SimilarityEstimator.Fit fit = SimilarityEstimator.bestFit(landmarks, 112);
            assertEquals(FaceTemplates.FRONTAL, fit.poseIndex());
            assertTrue(fit.error() < 1e-4, "error " + fit.error());
        }
    }

    @Test
    void mirroredLandmarksStillGiveARotationNotAReflection() {
        // A mirrored face makes det(A) < 0: Umeyama's d = (1, -1) keeps R a proper rotation.
        float[] t = FaceTemplates.template(FaceTemplates.LEFT, 112);
        float[] mirrored = new float[10];
        for (int p = 0; p < 5; p++) {
            mirrored[2 * p] = 200 - t[2 * p];
            mirrored[2 * p + 1] = t[2 * p + 1];
        }
        AffineMatrix m = SimilarityEstimator.estimate(mirrored, t);
        assertEquals(m.m00(), m.m11(), 1e-12);
        assertEquals(m.m01(), -m.m10(), 1e-12);
        assertTrue(m.m00() * m.m11() - m.m01() * m.m10() > 0);
    }

    @Test
    void mirroredFaceChoosesTheMirroredPose() {
        // Swapping left and right (and mirroring x) turns a "left" face into a "right" one.
        float[] left = FaceTemplates.template(FaceTemplates.LEFT, 112);
        float[] mirrored = new float[10];
        int[] swap = {1, 0, 2, 4, 3};
        for (int p = 0; p < 5; p++) {
            mirrored[2 * p] = 112 - left[2 * swap[p]];
            mirrored[2 * p + 1] = left[2 * swap[p] + 1];
        }
        assertEquals(FaceTemplates.LEFT, SimilarityEstimator.bestFit(left, 112).poseIndex());
        assertEquals(FaceTemplates.RIGHT, SimilarityEstimator.bestFit(mirrored, 112).poseIndex());
    }

    @Test
    void templatesFor224DoubleTheMatrix() {
        float[] landmarks = AlignFixtures.landmarks(1);
        SimilarityEstimator.Fit f112 = SimilarityEstimator.bestFit(landmarks, 112);
        SimilarityEstimator.Fit f224 = SimilarityEstimator.bestFit(landmarks, 224);
        assertEquals(f112.poseIndex(), f224.poseIndex());
        double[] a = f112.matrix().toArray();
        double[] b = f224.matrix().toArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(2 * a[i], b[i], 1e-4);
        }
    }

    @Test
    void coincidentLandmarksAreRejected() {
        float[] same = {50, 60, 50, 60, 50, 60, 50, 60, 50, 60};
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SimilarityEstimator.bestFit(same, 112));
        assertEquals("landmarks", e.field());
        assertTrue(e.getMessage().contains("degenerate"), e.getMessage());
        double[] same64 = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2};
        assertThrows(InvalidInputException.class, () -> SimilarityEstimator.bestFit(same64, 112));
    }

    @Test
    void nonFiniteOrMisSizedLandmarksAreRejected() {
        float[] nan = AlignFixtures.landmarks(0).clone();
        nan[3] = Float.NaN;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SimilarityEstimator.bestFit(nan, 112));
        assertEquals("landmarks", e.field());
        assertTrue(e.getMessage().contains("value 3"), e.getMessage());
        double[] inf = {1, 2, 3, 4, 5, 6, 7, Double.POSITIVE_INFINITY, 9, 10};
        assertThrows(InvalidInputException.class, () -> SimilarityEstimator.bestFit(inf, 112));
        assertThrows(InvalidInputException.class, () -> SimilarityEstimator.bestFit(new float[8], 112));
        assertThrows(InvalidInputException.class, () -> SimilarityEstimator.bestFit((float[]) null, 112));
        assertThrows(InvalidInputException.class, () -> SimilarityEstimator.bestFit(AlignFixtures.landmarks(0), 100));
    }

    static double maxAbs(AffineMatrix a, AffineMatrix b) {
        double[] x = a.toArray();
        double[] y = b.toArray();
        double max = 0;
        for (int i = 0; i < 6; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }
}
