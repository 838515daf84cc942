package dev.affect.engine.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SequencePredictorTest {

    @Test
    void framesWithoutAPredictionTakeThePreviousOneOrTheFirst() {
        float[] a = {1, 2};
        float[] b = {3, 4};
        float[][] rows = {null, null, a, null, b, null};
        SequencePredictor.fill(rows, 2);
        assertArrayEquals(new float[][] {a, a, a, a, b, b}, rows);
    }

    @Test
    void aVideoWithoutAnyImageGetsZeros() {
        float[][] rows = new float[3][];
        SequencePredictor.fill(rows, 2);
        assertArrayEquals(new float[][] {{0, 0}, {0, 0}, {0, 0}}, rows);
    }
}
