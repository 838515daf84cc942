package dev.affect.engine.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One execution step: a oneDNN primitive, or (where oneDNN has only a reference implementation
 * for a layout) one of our vectorised Java kernels. Bindings name the plan values it reads and
 * writes, for buffer planning; primitives get them frozen into a native dnnl_exec_arg_t array.
 */
record Step(String name, String impl, MemorySegment primitive, Runnable kernel, List<Binding> bindings,
            PlanValue output, MemorySegment scratchpadMd) {

    record Binding(int arg, PlanValue value) {
    }

    boolean isKernel() {
        return kernel != null;
    }
}
