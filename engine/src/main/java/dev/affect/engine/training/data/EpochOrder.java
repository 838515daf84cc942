package dev.affect.engine.training.data;

import java.util.SplittableRandom;

/**
 * The order windows are visited in during one epoch: a Fisher-Yates shuffle driven by a
 * {@link SplittableRandom} seeded from (seed, epoch) alone, so epoch e has the same order in every
 * run and after any restart, without running the epochs before it.
 */
public final class EpochOrder {
    private EpochOrder() {
    }

    /** A permutation of 0..n-1 that depends only on {@code seed}, {@code epoch} and {@code n}. */
    public static int[] shuffled(long seed, int epoch, int n) {
        if (epoch < 0 || n < 0) {
            throw new IllegalArgumentException("epoch and n must be >= 0, got " + epoch + ", " + n);
        }
        SplittableRandom rng = new SplittableRandom(epochSeed(seed, epoch));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** 0..n-1 in order (evaluation). */
    public static int[] sequential(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    // A split per epoch from the run's generator: epochs get independent streams, not shifted copies of one.
    private static long epochSeed(long seed, int epoch) {
        SplittableRandom root = new SplittableRandom(seed);
        long s = 0;
        for (int e = 0; e <= epoch; e++) {
            s = root.split().nextLong();
        }
        return s;
    }
}
