package dev.affect.engine.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPlanTest {
    private static final WindowSpec TEN_BY_TEN = new WindowSpec(10, 10);
    private static final WindowSpec TEN_BY_FIVE = new WindowSpec(10, 5);

    @Test
    void exactMultipleHasNoTailWindow() {
        assertEquals(List.of(0, 10, 20), WindowPlan.starts(30, TEN_BY_TEN, Tail.ALIGN_END));
        assertEquals(List.of(0, 10, 20), WindowPlan.starts(30, TEN_BY_TEN, Tail.PAD));
    }

    @Test
    void alignEndAddsAFullWindowEndingAtTheLastFrame() {
        assertEquals(List.of(0, 10, 20, 23), WindowPlan.starts(33, TEN_BY_TEN, Tail.ALIGN_END));
        assertEquals(List.of(0, 5, 10, 15, 20, 23), WindowPlan.starts(33, TEN_BY_FIVE, Tail.ALIGN_END));
    }

    @Test
    void padStartsAPartialWindowWhereTheStrideLeadsNext() {
        assertEquals(List.of(0, 10, 20, 30), WindowPlan.starts(33, TEN_BY_TEN, Tail.PAD));
        assertEquals(List.of(0, 5, 10, 15, 20, 25), WindowPlan.starts(33, TEN_BY_FIVE, Tail.PAD));
    }

    @Test
    void shortAndEmptySequences() {
        assertEquals(List.of(0), WindowPlan.starts(4, TEN_BY_TEN, Tail.ALIGN_END));
        assertEquals(List.of(0), WindowPlan.starts(10, TEN_BY_FIVE, Tail.PAD));
        assertEquals(List.of(), WindowPlan.starts(0, TEN_BY_TEN, Tail.ALIGN_END));
    }
}
