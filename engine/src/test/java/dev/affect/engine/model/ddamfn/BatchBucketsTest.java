package dev.affect.engine.model.ddamfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchBucketsTest {

    @Test
    void defaultsArePowersOfTwoUpTo32() {
        BatchBuckets b = BatchBuckets.defaults();
        assertEquals(List.of(1, 2, 4, 8, 16, 32), b.sizes());
        assertEquals(6, b.count());
        assertEquals(1, b.smallest());
        assertEquals(32, b.largest());
    }

    @Test
    void smallestBucketThatHoldsTheBatch() {
        BatchBuckets b = BatchBuckets.defaults();
        assertEquals(1, b.bucketFor(1));
        assertEquals(4, b.bucketFor(3));
        assertEquals(4, b.bucketFor(4));
        assertEquals(8, b.bucketFor(5));
        assertEquals(32, b.bucketFor(17));
        assertEquals(32, b.bucketFor(32));
        assertThrows(IllegalArgumentException.class, () -> b.bucketFor(33));
        assertThrows(IllegalArgumentException.class, () -> b.bucketFor(0));
        BatchBuckets odd = BatchBuckets.of(6, 3);
        assertEquals(3, odd.bucketFor(1));
        assertEquals(6, odd.bucketFor(4));
    }

    @Test
    void largeBatchesAreChunkedByTheLargestBucket() {
        BatchBuckets b = BatchBuckets.defaults();
        assertEquals(List.of(32, 8), b.chunks(40));
        assertEquals(List.of(32, 32), b.chunks(64));
        assertEquals(List.of(32, 32, 1), b.chunks(65));
        assertEquals(List.of(3), b.chunks(3));
        assertEquals(List.of(2, 2, 1), BatchBuckets.of(1, 2).chunks(5));
        assertThrows(IllegalArgumentException.class, () -> b.chunks(0));
    }

    @Test
    void sizesAreValidated() {
        assertEquals(List.of(1, 4, 8), BatchBuckets.of(8, 1, 4).sizes());
        assertEquals(List.of(1, 2, 16), BatchBuckets.parse(" 16, 1,2 ").sizes());
        assertTrue(BatchBuckets.of(2, 4).contains(4));
        assertFalse(BatchBuckets.of(2, 4).contains(3));
        for (int[] bad : new int[][] {{}, {0}, {-1, 2}, {2, 2}, {BatchBuckets.MAX_SIZE + 1}}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> BatchBuckets.of(bad));
            assertEquals("buckets", e.field());
        }
        assertEquals("buckets", assertThrows(InvalidInputException.class, () -> BatchBuckets.parse("1,x")).field());
        assertEquals(BatchBuckets.of(1, 2), BatchBuckets.parse("2,1"));
    }
}
