package dev.affect.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SubsampleTest {

    @Test
    void drawsDistinctAscendingIndicesRepeatablyPerSeed() {
        int[] a = Subsample.indices(10_000, 500, 1);
        assertEquals(500, a.length);
        assertEquals(500, Arrays.stream(a).distinct().count());
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1]);
        }
        assertTrue(a[0] >= 0 && a[a.length - 1] < 10_000);
        assertArrayEquals(a, Subsample.indices(10_000, 500, 1));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Subsample.indices(10_000, 500, 2)));
        // spread over the whole range, not the first 500
        assertTrue(a[a.length - 1] > 9_000, "last index " + a[a.length - 1]);
        assertArrayEquals(new int[] {0, 1, 2}, Subsample.indices(3, 500, 1));
    }

    @Test
    void vaPointsKeepTheirFourColumnsAligned() {
        float[] idx = new float[1000];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        float[] neg = new float[1000];
        for (int i = 0; i < neg.length; i++) {
            neg[i] = -i;
        }
        VaPoints s = new VaPoints(idx, neg, idx, neg).subsample(100, 9);
        assertEquals(100, s.size());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(s.predValence()[i], -s.predArousal()[i]);
            assertEquals(s.predValence()[i], s.trueValence()[i]);
        }
        assertThrows(InvalidInputException.class, () -> new VaPoints(idx, neg, idx, new float[3]));
        assertThrows(InvalidInputException.class, () -> VaPoints.ofRows(new float[4], new float[6]));
    }
}
