package dev.affect.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.tensor.Shape;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Upsample to an explicit size follows PyTorch 1.13's nearest rule; factors keep their meaning. */
class UpsampleTest {

    /** Source indices as F.interpolate(size=..., mode='nearest') gives them (torch 1.13, printed once). */
    @Test
    void sourceIndicesAreTorchs() {
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7}, indices(8, 15));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2}, indices(3, 7));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4}, indices(5, 12));
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9}, indices(10, 20));
        assertArrayEquals(new int[] {0, 2, 4}, indices(7, 3));
    }

    private static int[] indices(int in, int out) {
        return IntStream.range(0, out).map(d -> Upsample.sourceIndex(d, in, out)).toArray();
    }

    @Test
    void shapesByFactorAndBySize() {
        assertEquals(List.of(Shape.of(2, 3, 10, 4)), new Upsample(2, 1).outputShapes(List.of(Shape.of(2, 3, 5, 4))));
        assertEquals(List.of(Shape.of(1, 64, 15, 20)), Upsample.toSize(15, 20).outputShapes(List.of(Shape.of(1, 64, 8, 10))));
        assertEquals("upsample->15x20", Upsample.toSize(15, 20).describe());
        assertThrows(IllegalArgumentException.class, () -> new Upsample(2, 2, 15, 20));
        assertThrows(IllegalArgumentException.class, () -> Upsample.toSize(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Upsample(0, 1));
    }
}
