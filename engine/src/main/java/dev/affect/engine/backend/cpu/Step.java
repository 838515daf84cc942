package dev.affect.engine.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One primitive execution: which plan values bind to which execution arguments. After buffer
 * planning the arguments are frozen into a native dnnl_exec_arg_t array built once.
 */
record Step(String name, String impl, MemorySegment primitive, List<Binding> bindings, PlanValue output,
            MemorySegment scratchpadMd) {

    record Binding(int arg, PlanValue value) {
    }
}
