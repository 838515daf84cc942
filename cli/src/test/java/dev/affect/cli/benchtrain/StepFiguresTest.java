package dev.affect.cli.benchtrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** frames/s from the median step, the keys the peer prints, and the warm-up left out of the figures. */
class StepFiguresTest {
    @Test
    void framesPerSecondComesFromTheMedianStep() {
        StepFigures f = new StepFigures(320, new double[] {50, 400, 100, 80, 200});
        assertEquals(100, f.medianMs());
        assertEquals(3200, f.framesPerSecond(), 1e-9);
        assertEquals(50.0, f.toMap().get("ms_per_step_p10"));
        assertEquals(400.0, f.toMap().get("ms_per_step_p90"));
        assertEquals(5, f.toMap().get("steps"));
    }

    @Test
    void warmUpStepsRunButAreNotTimed() {
        AtomicInteger calls = new AtomicInteger();
        StepFigures f = StepFigures.time(calls::incrementAndGet, 3, 4, 10);
        assertEquals(7, calls.get());
        assertEquals(4, f.toMap().get("steps"));
    }

    @Test
    void noTimedStepIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StepFigures(1, new double[0]));
    }
}
