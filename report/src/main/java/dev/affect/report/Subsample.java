package dev.affect.report;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Which frames a plot draws when a set has more than it can show legibly. */
public final class Subsample {
    private Subsample() {
    }

    /**
     * At most {@code max} of the indices {@code 0..n-1}, drawn uniformly without replacement, ascending;
     * all of them when {@code n <= max}. The same (n, max, seed) gives the same indices.
     */
    public static int[] indices(int n, int max, long seed) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        if (n <= max) {
            return IntStream.range(0, n).toArray();
        }
        // partial Fisher-Yates, then sorted so neighbouring frames keep their order
        int[] index = IntStream.range(0, n).toArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        int[] keep = Arrays.copyOf(index, max);
        Arrays.sort(keep);
        return keep;
    }
}
