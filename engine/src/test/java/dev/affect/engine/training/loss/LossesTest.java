package dev.affect.engine.training.loss;

import static dev.affect.engine.training.loss.FiniteDifferences.assertGradient;
import static dev.affect.engine.training.loss.FiniteDifferences.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The frame losses against their definitions (fixtures/training README) on small hand-checkable
 * inputs, their gradients against central differences, and masked frames counting in neither.
 */
class LossesTest {
    private static final boolean[] SOME_INVALID = {true, false, true, true, false, true};

    @Test
    void cccOfAPerfectPredictionIsZeroLossAndOfANegatedOneIsTwo() {
        float[] t = {0.1f, -0.5f, 0.7f, 0.2f, -0.3f, 0.9f};
        assertEquals(0, CccLoss.compute(t, t, 2, FrameMask.all(3)).value(), 1e-12);
        float[] neg = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            neg[i] = -t[i];
        }
        // var_p = var_t, cov = -var_t, (mean_p - mean_t)^2 = 4 mean_t^2: ccc = -2 var / (2 var + 4 mean^2)
        double loss = CccLoss.compute(neg, t, 2, FrameMask.all(3)).value();
        double expected = 1 - (ccc(new double[] {-0.1, -0.7, 0.3}, new double[] {0.1, 0.7, -0.3})
                + ccc(new double[] {0.5, -0.2, -0.9}, new double[] {-0.5, 0.2, 0.9})) / 2;
        assertEquals(expected, loss, 1e-6);
        assertTrue(loss > 1, "anti-correlated predictions lose more than 1: " + loss);
    }

    /** The README's formula, written out for three values. */
    private static double ccc(double[] p, double[] t) {
        double mp = (p[0] + p[1] + p[2]) / 3;
        double mt = (t[0] + t[1] + t[2]) / 3;
        double vp = 0;
        double vt = 0;
        double cov = 0;
        for (int i = 0; i < 3; i++) {
            vp += (p[i] - mp) * (p[i] - mp) / 3;
            vt += (t[i] - mt) * (t[i] - mt) / 3;
            cov += (p[i] - mp) * (t[i] - mt) / 3;
        }
        return 2 * cov / (vp + vt + (mp - mt) * (mp - mt));
    }

    @Test
    void cccGradientMatchesFiniteDifferences() {
        Random r = new Random(1);
        float[] p = random(r, 20, 0.4);
        float[] t = random(r, 20, 0.5);
        LossValue v = CccLoss.compute(p, t, 2, FrameMask.all(10));
        assertGradient(p, v.gradient(), x -> CccLoss.compute(x, t, 2, FrameMask.all(10)).value(), 1e-3f, 2e-3);
        assertEquals(10, v.frames());
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogOfTheClassCount() {
        LossValue v = CrossEntropyLoss.compute(new float[16], new long[] {0, 3}, 8, FrameMask.all(2));
        assertEquals(Math.log(8), v.value(), 1e-12);
        assertEquals((1.0 / 8 - 1) / 2, v.gradient()[0], 1e-7);
        assertEquals(1.0 / 8 / 2, v.gradient()[1], 1e-7);
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Random r = new Random(2);
        float[] z = random(r, 6 * 8, 2);
        long[] y = {0, 7, 3, 3, 5, 1};
        LossValue v = CrossEntropyLoss.compute(z, y, 8, FrameMask.all(6));
        assertGradient(z, v.gradient(), x -> CrossEntropyLoss.compute(x, y, 8, FrameMask.all(6)).value(), 1e-3f, 2e-3);
    }

    @Test
    void crossEntropyRejectsAnInvalidLabelOnAValidFrameAndIgnoresItOnAMaskedOne() {
        float[] z = new float[3 * 8];
        long[] y = {1, -1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropyLoss.compute(z, y, 8, FrameMask.all(3)));
        assertTrue(e.getMessage().contains("label -1 of frame 1"), e.getMessage());
        LossValue v = CrossEntropyLoss.compute(z, y, 8, FrameMask.of(new boolean[] {true, false, true}));
        assertEquals(2, v.frames());
        assertEquals(Math.log(8), v.value(), 1e-12);
    }

    @Test
    void bceWithLogitsAtZeroIsLogTwoAndItsGradientMatchesFiniteDifferences() {
        assertEquals(Math.log(2), BceWithLogitsLoss.compute(new float[4], new float[] {0, 1, 1, 0}, 2, FrameMask.all(2))
                .value(), 1e-12);
        Random r = new Random(3);
        float[] z = random(r, 5 * 12, 3);
        float[] y = new float[z.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextBoolean() ? 1 : 0;
        }
        LossValue v = BceWithLogitsLoss.compute(z, y, 12, FrameMask.all(5));
        assertGradient(z, v.gradient(), x -> BceWithLogitsLoss.compute(x, y, 12, FrameMask.all(5)).value(), 1e-3f, 2e-3);
    }

    @Test
    void maskedFramesCountInNeitherTheValueNorTheGradient() {
        Random r = new Random(4);
        FrameMask mask = FrameMask.of(SOME_INVALID);
        float[] p = random(r, 12, 0.4);
        float[] t = random(r, 12, 0.5);
        long[] y = {2, 9, 0, 7, -1, 4};
        float[] z8 = random(r, 48, 1);
        float[] b = new float[12];
        for (int i = 0; i < b.length; i++) {
            b[i] = i % 3 == 0 ? 1 : 0;
        }
        assertMaskedEqualsCompacted(CccLoss.compute(p, t, 2, mask),
                CccLoss.compute(keep(p, 2), keep(t, 2), 2, FrameMask.all(4)), 2);
        assertMaskedEqualsCompacted(CrossEntropyLoss.compute(z8, y, 8, mask),
                CrossEntropyLoss.compute(keep(z8, 8), new long[] {2, 0, 7, 4}, 8, FrameMask.all(4)), 8);
        assertMaskedEqualsCompacted(BceWithLogitsLoss.compute(z8, spread(b), 8, mask),
                BceWithLogitsLoss.compute(keep(z8, 8), keep(spread(b), 8), 8, FrameMask.all(4)), 8);
    }

    /** 12 values spread to 48 (6 frames x 8) of 0/1. */
    private static float[] spread(float[] b) {
        float[] out = new float[48];
        for (int i = 0; i < out.length; i++) {
            out[i] = b[i % b.length];
        }
        return out;
    }

    private static void assertMaskedEqualsCompacted(LossValue masked, LossValue compact, int columns) {
        assertEquals(compact.value(), masked.value(), 1e-12);
        assertEquals(4, masked.frames());
        float[] expected = new float[SOME_INVALID.length * columns];
        int k = 0;
        for (int f = 0; f < SOME_INVALID.length; f++) {
            if (SOME_INVALID[f]) {
                System.arraycopy(compact.gradient(), k * columns, expected, f * columns, columns);
                k++;
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, masked.gradient());
    }

    private static float[] keep(float[] v, int columns) {
        float[] out = new float[4 * columns];
        int k = 0;
        for (int f = 0; f < SOME_INVALID.length; f++) {
            if (SOME_INVALID[f]) {
                System.arraycopy(v, f * columns, out, k++ * columns, columns);
            }
        }
        return out;
    }

    @Test
    void noValidFrameGivesZeroLossAndNoGradient() {
        LossValue v = CccLoss.compute(new float[] {0.1f, 0.2f}, new float[] {0.3f, 0.4f}, 2,
                FrameMask.of(new boolean[] {false}));
        assertEquals(0, v.frames());
        assertEquals(0, v.value());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[2], v.gradient());
    }

    @Test
    void shapeMismatchesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BceWithLogitsLoss.compute(new float[24], new float[24], 12, FrameMask.all(3)));
        assertTrue(e.getMessage().contains("2 frames, the mask 3"), e.getMessage());
    }
}
