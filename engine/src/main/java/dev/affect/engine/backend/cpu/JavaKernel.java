package dev.affect.engine.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * A step computed in Java where oneDNN has no (fast) primitive. Stateless and shared by every
 * context of an executable: each call gets the context's buffers, indexed by {@link CpuValue#index}.
 */
interface JavaKernel {
    void run(MemorySegment[] data);
}
