package dev.affect.engine.backend.cpu;

import dev.affect.bindings.dnnl.gen.dnnl_exec_arg_t;
import java.lang.foreign.MemorySegment;

/** Writes entries of a native dnnl_exec_arg_t array. */
final class ExecArgs {
    private ExecArgs() {
    }

    static void set(MemorySegment array, int index, int arg, MemorySegment memory) {
        MemorySegment e = dnnl_exec_arg_t.asSlice(array, index);
        dnnl_exec_arg_t.arg(e, arg);
        dnnl_exec_arg_t.memory(e, memory);
    }
}
