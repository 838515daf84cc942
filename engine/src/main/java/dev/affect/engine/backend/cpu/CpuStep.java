package dev.affect.engine.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One step of a {@link CpuExecutable}: a oneDNN primitive with its execution arguments, or a Java
 * kernel over the values it names. {@code writes} are the values it produces (for liveness).
 */
record CpuStep(String name, String impl, MemorySegment primitive, JavaKernel kernel, List<Arg> args,
               List<CpuValue> writes, MemorySegment scratchpadMd, String shape) {

    record Arg(int arg, CpuValue value) {
    }

    CpuStep {
        args = List.copyOf(args);
        writes = List.copyOf(writes);
    }

    boolean isKernel() {
        return kernel != null;
    }
}
