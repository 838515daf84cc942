package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import java.util.List;

/**
 * How a head is compiled ahead of time. Bad sizes are the configuration's error, an
 * {@link InvalidInputException} naming the list (as for DDAMFN's batch buckets).
 *
 * @param batchBuckets    row counts executables are compiled for, ascending; a call with n rows runs
 *                        on the smallest bucket that fits (padding the rest) and calls with more rows
 *                        than the largest are split
 * @param sequenceBuckets clip lengths an LSTM head's whole-sequence executables are compiled for,
 *                        ascending and including 1: a clip is run as consecutive chunks of these
 *                        lengths (largest first) carrying the state, never padded, so the final state
 *                        is exact
 */
public record HeadOptions(List<Integer> batchBuckets, List<Integer> sequenceBuckets) {

    public static final List<Integer> DEFAULT_BUCKETS = List.of(1, 2, 4, 8, 16, 32);

    public HeadOptions {
        batchBuckets = List.copyOf(batchBuckets);
        sequenceBuckets = List.copyOf(sequenceBuckets);
        requireAscending("batchBuckets", batchBuckets);
        requireAscending("sequenceBuckets", sequenceBuckets);
        if (sequenceBuckets.get(0) != 1) {
            throw new InvalidInputException("sequenceBuckets", "must include 1 so that every clip length can be run exactly, got "
                    + sequenceBuckets);
        }
    }

    public static HeadOptions defaults() {
        return new HeadOptions(DEFAULT_BUCKETS, DEFAULT_BUCKETS);
    }

    private static void requireAscending(String what, List<Integer> buckets) {
        if (buckets.isEmpty()) {
            throw new InvalidInputException(what, "is empty");
        }
        for (int i = 0; i < buckets.size(); i++) {
            if (buckets.get(i) < 1 || (i > 0 && buckets.get(i) <= buckets.get(i - 1))) {
                throw new InvalidInputException(what, "must be positive and strictly ascending, got " + buckets);
            }
        }
    }
}
