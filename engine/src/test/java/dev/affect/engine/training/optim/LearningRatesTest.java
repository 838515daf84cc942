package dev.affect.engine.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRatesTest {

    @Test
    void constantIsTheSameForEveryUpdate() {
        assertEquals(0.01, LearningRate.constant(0.01).at(1));
        assertEquals(0.01, LearningRate.constant(0.01).at(1_000_000));
    }

    @Test
    void stepDecayMultipliesByGammaEveryIntervalStartingAfterTheFirst() {
        StepDecay d = new StepDecay(1, 0.1, 3);
        assertEquals(1, d.at(1));
        assertEquals(1, d.at(3));
        assertEquals(0.1, d.at(4), 1e-15);
        assertEquals(0.01, d.at(7), 1e-15);
    }

    @Test
    void cosineWarmsUpLinearlyThenAnnealsToTheFloor() {
        CosineDecay c = new CosineDecay(1, 0.1, 14, 4);
        assertEquals(0.25, c.at(1), 1e-15);
        assertEquals(1, c.at(4), 1e-15);
        assertEquals(1, c.at(5), 1e-15);
        // updates 5..14 span progress 0..1: update 9.5 would be the midpoint; 14 is the floor
        assertEquals(0.1, c.at(14), 1e-15);
        assertEquals(0.1, c.at(100), 1e-15);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 4 / 9)) / 2, c.at(9), 1e-15);
        assertEquals(0.5 * (1 + Math.cos(Math.PI / 2)), CosineDecay.of(1, 3).at(2), 1e-15);
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(1, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(1, 0, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.constant(1).at(0));
    }
}
