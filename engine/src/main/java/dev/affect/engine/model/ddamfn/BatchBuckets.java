package dev.affect.engine.model.ddamfn;

import dev.affect.engine.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The batch sizes a model is compiled for, ahead of time. A batch of n frames runs on the smallest
 * size that holds it (padded); a batch larger than the largest size runs in chunks of the largest
 * size, the remainder on its own smallest fitting size. So the set of executables is bounded.
 * Immutable.
 */
public final class BatchBuckets {
    /** The sizes compiled by default. */
    public static final List<Integer> DEFAULT_SIZES = List.of(1, 2, 4, 8, 16, 32);
    /** Larger buckets are almost certainly a configuration mistake (and cost their activations per context). */
    public static final int MAX_SIZE = 4096;

    private final int[] sizes;

    private BatchBuckets(int[] sorted) {
        this.sizes = sorted;
    }

    public static BatchBuckets defaults() {
        return of(DEFAULT_SIZES);
    }

    /** Any order; each size in 1 .. {@value #MAX_SIZE}, no repeats. Bad sizes are the configuration's error ("buckets"). */
    public static BatchBuckets of(int... sizes) {
        if (sizes.length == 0) {
            throw new InvalidInputException("buckets", "at least one batch size is needed");
        }
        int[] sorted = sizes.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 1 || sorted[i] > MAX_SIZE) {
                throw new InvalidInputException("buckets", "batch size " + sorted[i] + " is outside 1.." + MAX_SIZE);
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new InvalidInputException("buckets", "batch size " + sorted[i] + " given twice");
            }
        }
        return new BatchBuckets(sorted);
    }

    public static BatchBuckets of(List<Integer> sizes) {
        return of(sizes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Parses "1,2,4,8" (spaces allowed). */
    public static BatchBuckets parse(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                sizes.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("buckets", "'" + s + "' is not a batch size in '" + text + "'", e);
            }
        }
        return of(sizes);
    }

    /** Ascending. */
    public List<Integer> sizes() {
        return Arrays.stream(sizes).boxed().toList();
    }

    public int count() {
        return sizes.length;
    }

    public int largest() {
        return sizes[sizes.length - 1];
    }

    public int smallest() {
        return sizes[0];
    }

    public boolean contains(int n) {
        return Arrays.binarySearch(sizes, n) >= 0;
    }

    /** The smallest size that holds n frames; n must be in 1 .. {@link #largest()}. */
    public int bucketFor(int n) {
        if (n < 1 || n > largest()) {
            throw new IllegalArgumentException("no bucket holds " + n + " frames; sizes " + sizes());
        }
        for (int s : sizes) {
            if (s >= n) {
                return s;
            }
        }
        throw new AssertionError();
    }

    /** How n frames are cut: as many chunks of the largest size as fit, then the rest. E.g. 40 on 1..32 -> [32, 8]. */
    public List<Integer> chunks(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a batch needs at least one frame, got " + n);
        }
        List<Integer> out = new ArrayList<>();
        int left = n;
        while (left > 0) {
            int c = Math.min(left, largest());
            out.add(c);
            left -= c;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchBuckets b && Arrays.equals(b.sizes, sizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes);
    }

    @Override
    public String toString() {
        return "BatchBuckets" + sizes();
    }
}
