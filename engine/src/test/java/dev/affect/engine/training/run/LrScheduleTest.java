package dev.affect.engine.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.training.optim.LearningRate;
import org.junit.jupiter.api.Test;

/** Epoch-based schedules as the core's per-update rates (updates numbered from 1). */
class LrScheduleTest {
    @Test
    void constantStepAndCosineInEpochs() {
        assertEquals(0.1, LrSchedule.constant().rate(0.1, 10, 6).at(57), 0);
        LearningRate halve = LrSchedule.step(2, 0.5).rate(0.1, 10, 6);
        assertEquals(0.1, halve.at(20), 0);
        assertEquals(0.05, halve.at(21), 0);
        assertEquals(0.025, halve.at(60), 1e-15);
        LearningRate cos = LrSchedule.cosine(0).rate(0.1, 10, 4);
        assertEquals(0.1, cos.at(1), 0);
        assertEquals(0.0, cos.at(40), 1e-15);
    }

    @Test
    void warmupRisesOverItsEpochsAndMustEndBeforeTheRun() {
        LearningRate cos = LrSchedule.cosine(1).rate(0.1, 10, 3);
        assertEquals(0.01, cos.at(1), 1e-15);
        assertEquals(0.1, cos.at(10), 1e-15);
        assertEquals(0.1, cos.at(11), 1e-15);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LrSchedule.cosine(3).rate(0.1, 10, 3));
        assertEquals("schedule.warmup_epochs", e.field());
        assertEquals("schedule.warmup_epochs",
                assertThrows(InvalidInputException.class, () -> new LrSchedule(LrSchedule.Kind.STEP, 1, 0.5, 1)).field());
    }
}
