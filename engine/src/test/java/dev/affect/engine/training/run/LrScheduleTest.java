package dev.affect.engine.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void constantStepAndCosine() {
        assertEquals(0.1, LrSchedule.constant().at(0.1, 57, 10, 6), 0);
        LrSchedule halve = LrSchedule.step(2, 0.5);
        assertEquals(0.1, halve.at(0.1, 19, 10, 6), 0);
        assertEquals(0.05, halve.at(0.1, 20, 10, 6), 0);
        assertEquals(0.025, halve.at(0.1, 59, 10, 6), 1e-15);
        LrSchedule cos = LrSchedule.cosine(0);
        assertEquals(0.1, cos.at(0.1, 0, 10, 4), 0);
        assertEquals(0.05, cos.at(0.1, 20, 10, 4), 1e-12);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 39 / 40)), cos.at(0.1, 39, 10, 4), 1e-15);
    }

    @Test
    void warmupRisesLinearlyToTheBaseRate() {
        LrSchedule cos = LrSchedule.cosine(1);
        assertEquals(0.01, cos.at(0.1, 0, 10, 3), 1e-15);
        assertEquals(0.1, cos.at(0.1, 9, 10, 3), 1e-15);
        assertEquals(0.1, cos.at(0.1, 10, 10, 3), 1e-15);
        assertEquals(0.05, cos.at(0.1, 20, 10, 3), 1e-12);
    }
}
