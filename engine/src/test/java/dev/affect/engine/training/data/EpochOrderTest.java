package dev.affect.engine.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EpochOrderTest {
    @Test
    void isAPermutationThatDependsOnlyOnSeedAndEpoch() {
        int[] a = EpochOrder.shuffled(42, 3, 1000);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(EpochOrder.sequential(1000), sorted);
        // the same (seed, epoch) without having drawn epochs 1 and 2 first, as after a restart
        assertArrayEquals(a, EpochOrder.shuffled(42, 3, 1000));
    }

    @Test
    void epochsAndSeedsGiveDifferentOrders() {
        int[] e3 = EpochOrder.shuffled(42, 3, 1000);
        assertFalse(Arrays.equals(e3, EpochOrder.shuffled(42, 4, 1000)));
        assertFalse(Arrays.equals(e3, EpochOrder.shuffled(43, 3, 1000)));
        assertFalse(Arrays.equals(e3, EpochOrder.sequential(1000)));
    }
}
