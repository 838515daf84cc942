package dev.affect.engine.backend.cpu;

import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;

/**
 * A tensor inside a CPU plan: its oneDNN layout, the memory object that executes on it, and the
 * buffer bound to it by {@link BufferPlanner}. An alias (flatten) shares its root's buffer.
 */
final class PlanValue {
    final String name;
    final Shape shape;
    final MemorySegment md;
    final MemorySegment memory;
    final PlanValue aliasOf;
    /** Graph inputs, outputs and constants keep a buffer of their own for the plan's life. */
    boolean pinned;
    int producedAt = -1;
    int lastRead = -1;
    MemorySegment data;

    PlanValue(String name, Shape shape, MemorySegment md, MemorySegment memory, PlanValue aliasOf) {
        this.name = name;
        this.shape = shape;
        this.md = md;
        this.memory = memory;
        this.aliasOf = aliasOf;
    }

    PlanValue root() {
        return aliasOf == null ? this : aliasOf.root();
    }

    long byteSize() {
        return DnnlHandles.size(md);
    }
}
