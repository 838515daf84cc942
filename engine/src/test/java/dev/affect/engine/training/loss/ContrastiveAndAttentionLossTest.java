package dev.affect.engine.training.loss;

import static dev.affect.engine.training.loss.FiniteDifferences.assertGradient;
import static dev.affect.engine.training.loss.FiniteDifferences.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The contrastive and attention-diversity losses: definitions, gradients, masks. */
class ContrastiveAndAttentionLossTest {
    private static final int N = 6;
    private static final int D = 5;
    private static final long[] DUPLICATE_LABELS = {0, 3, 3, 5, 5, 5};
    private final Random r = new Random(7);
    private final float[] image = random(r, N * D, 1);
    private final float[] text = random(r, N * D, 1);

    @Test
    void imageSideGradientMatchesFiniteDifferencesForBothTargetsAndATemperature() {
        for (ContrastiveLoss.Targets t : ContrastiveLoss.Targets.values()) {
            ContrastiveLoss loss = new ContrastiveLoss(t, 0.5);
            LossValue v = loss.compute(image, text, DUPLICATE_LABELS, D, FrameMask.all(N));
            assertGradient(image, v.gradient(), x -> loss.compute(x, text, DUPLICATE_LABELS, D, FrameMask.all(N)).value(),
                    1e-3f, 2e-3);
        }
    }

    @Test
    void hardAndSoftDifferWithDuplicateLabelsAndAgreeWithout() {
        FrameMask all = FrameMask.all(N);
        ContrastiveLoss hard = new ContrastiveLoss(ContrastiveLoss.Targets.HARD, 1);
        ContrastiveLoss soft = new ContrastiveLoss(ContrastiveLoss.Targets.SOFT, 1);
        assertNotEquals(hard.compute(image, text, DUPLICATE_LABELS, D, all).value(),
                soft.compute(image, text, DUPLICATE_LABELS, D, all).value(), 1e-3);
        long[] distinct = {0, 1, 2, 3, 4, 5};
        assertEquals(hard.compute(image, text, distinct, D, all).value(), soft.compute(image, text, distinct, D, all).value(),
                1e-12);
    }

    @Test
    void hardLossOfAlignedPairsIsTheCrossEntropyOfTheCosineMatrix() {
        // Two orthogonal unit pairs: s = identity, so each side's CE is log(1 + e^-1) + 1 - 1 = log(e + 1) - 1.
        float[] a = {1, 0, 0, 1};
        LossValue v = new ContrastiveLoss(ContrastiveLoss.Targets.HARD, 1).compute(a, a, new long[] {0, 1}, 2,
                FrameMask.all(2));
        assertEquals(Math.log(Math.E + 1) - 1, v.value(), 1e-12);
    }

    @Test
    void maskedSamplesLeaveTheBatchAsIfRemoved() {
        boolean[] valid = {true, true, false, true, true, false};
        ContrastiveLoss soft = new ContrastiveLoss(ContrastiveLoss.Targets.SOFT, 1);
        LossValue masked = soft.compute(image, text, DUPLICATE_LABELS, D, FrameMask.of(valid));
        float[] i4 = new float[4 * D];
        float[] t4 = new float[4 * D];
        long[] y4 = new long[4];
        int k = 0;
        for (int s = 0; s < N; s++) {
            if (valid[s]) {
                System.arraycopy(image, s * D, i4, k * D, D);
                System.arraycopy(text, s * D, t4, k * D, D);
                y4[k++] = DUPLICATE_LABELS[s];
            }
        }
        LossValue compact = soft.compute(i4, t4, y4, D, FrameMask.all(4));
        assertEquals(compact.value(), masked.value(), 1e-12);
        assertEquals(4, masked.frames());
        assertArrayEquals(new float[D], java.util.Arrays.copyOfRange(masked.gradient(), 2 * D, 3 * D));
        assertArrayEquals(java.util.Arrays.copyOfRange(compact.gradient(), 2 * D, 3 * D),
                java.util.Arrays.copyOfRange(masked.gradient(), 3 * D, 4 * D));
    }

    @Test
    void attentionLossIsPairsOverSummedMseAndZeroForOneHead() {
        float[] a = {0, 0, 0, 0};
        float[] b = {1, 1, 1, 1};
        float[] c = {2, 2, 2, 2};
        // MSE(a,b) = 1, MSE(a,c) = 4, MSE(b,c) = 1: 3 pairs / 6
        assertEquals(0.5, AttentionDiversityLoss.compute(List.of(a, b, c), 2, FrameMask.all(2)).value(), 1e-12);
        assertEquals(1 / (1 + AttentionDiversityLoss.EPS),
                AttentionDiversityLoss.compute(List.of(a, b), 2, FrameMask.all(2)).value(), 1e-15);
        AttentionDiversityLoss.Value one = AttentionDiversityLoss.compute(List.of(a), 2, FrameMask.all(2));
        assertEquals(0, one.value());
        assertArrayEquals(new float[4], one.gradients().get(0));
    }

    @Test
    void attentionGradientMatchesFiniteDifferences() {
        float[] h0 = random(r, 3 * 4, 1);
        float[] h1 = random(r, 3 * 4, 1);
        float[] h2 = random(r, 3 * 4, 1);
        FrameMask mask = FrameMask.of(new boolean[] {true, false, true});
        AttentionDiversityLoss.Value v = AttentionDiversityLoss.compute(List.of(h0, h1, h2), 3, mask);
        assertGradient(h1, v.gradients().get(1),
                x -> AttentionDiversityLoss.compute(List.of(h0, x, h2), 3, mask).value(), 1e-3f, 2e-3);
        assertArrayEquals(new float[4], java.util.Arrays.copyOfRange(v.gradients().get(0), 4, 8), "masked frame");
    }
}
