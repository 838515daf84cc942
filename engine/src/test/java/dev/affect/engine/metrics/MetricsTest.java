package dev.affect.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Small hand-checked cases that run without the shared fixtures. */
class MetricsTest {

    @Test
    void cccIsOneForIdenticalAndPenalisesBias() {
        double[] t = {0.1, -0.4, 0.7, 0.2};
        assertEquals(1.0, Ccc.of(t, t), 1e-15);
        double[] shifted = {1.1, 0.6, 1.7, 1.2};
        // cov = var = 0.1525 (population), mean diff 1: 2*0.1525/(0.305+1)
        assertEquals(2 * 0.1525 / (0.305 + 1), Ccc.of(shifted, t), 1e-12);
        assertTrue(Double.isNaN(Ccc.of(new double[] {1, 1}, new double[] {1, 1})));
    }

    @Test
    void f1IsZeroWheneverNothingIsTruePositive() {
        assertEquals(0.0, new BinaryCounts(0, 0, 0).f1());
        assertEquals(0.0, new BinaryCounts(0, 5, 0).f1());
        assertEquals(0.0, new BinaryCounts(0, 0, 5).f1());
        assertEquals(2.0 / 3, new BinaryCounts(1, 1, 0).f1(), 1e-15);
    }

    @Test
    void thresholdsAreTheNearestDecimals() {
        assertEquals(0.3, AuMetrics.THRESHOLDS.get(2));
        assertEquals(9, AuMetrics.THRESHOLDS.size());
    }

    @Test
    void auTiesGoToTheLowestThreshold() {
        // one AU, no positives: every threshold gives F1 0
        AuMetrics m = AuMetrics.of(new double[] {0.05, 0.95}, new long[] {0, 0}, 1);
        assertEquals(0.1, m.bestThresholds()[0]);
        assertEquals(9, m.tiedBestThresholds().get(0).size());
    }

    @Test
    void exprRejectsAClassOutsideTheEight() {
        assertThrows(InvalidInputException.class, () -> ExprMetrics.of(new long[] {8}, new long[] {0}));
        assertThrows(InvalidInputException.class, () -> ExprMetrics.of(new long[] {0}, new long[] {-1}));
        assertThrows(InvalidInputException.class, () -> ExprMetrics.of(new long[] {}, new long[] {}));
    }
}
