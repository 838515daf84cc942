package dev.affect.bindings.dnnl;

import dev.affect.bindings.dnnl.gen.dnnl_exec_arg_t;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.affect.bindings.dnnl.Dnnl.check;
import static dev.affect.bindings.dnnl.gen.dnnl_h.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** End to end through the generated bindings: CPU engine, stream, 1x1x4x4 f32 ReLU, execute, read back. */
class DnnlEltwiseSmokeTest {

    @BeforeAll
    static void load() {
        Dnnl.load();
    }

    @Test
    void reluOnKnownData() {
        float[] input = new float[16];
        float[] expected = new float[16];
        for (int i = 0; i < 16; i++) {
            input[i] = i - 7.5f;
            expected[i] = Math.max(0f, input[i]);
        }

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = arena.allocate(C_POINTER); // reused out-param
            check(dnnl_engine_create(cell, dnnl_cpu(), 0), "dnnl_engine_create");
            MemorySegment engine = cell.get(C_POINTER, 0);
            check(dnnl_stream_create(cell, engine, dnnl_stream_default_flags()), "dnnl_stream_create");
            MemorySegment stream = cell.get(C_POINTER, 0);

            MemorySegment dims = arena.allocate(C_LONG, DNNL_MAX_NDIMS());
            dims.setAtIndex(C_LONG, 0, 1);
            dims.setAtIndex(C_LONG, 1, 1);
            dims.setAtIndex(C_LONG, 2, 4);
            dims.setAtIndex(C_LONG, 3, 4);
            check(dnnl_memory_desc_create_with_tag(cell, 4, dims, dnnl_f32(), dnnl_nchw()),
                    "dnnl_memory_desc_create_with_tag");
            MemorySegment md = cell.get(C_POINTER, 0);

            // src: a buffer we own; dst: let oneDNN allocate it (DNNL_MEMORY_ALLOCATE)
            MemorySegment srcBuf = arena.allocateFrom(ValueLayout.JAVA_FLOAT, input);
            check(dnnl_memory_create(cell, md, engine, srcBuf), "dnnl_memory_create");
            MemorySegment src = cell.get(C_POINTER, 0);
            check(dnnl_memory_create(cell, md, engine, Dnnl.MEMORY_ALLOCATE), "dnnl_memory_create");
            MemorySegment dst = cell.get(C_POINTER, 0);

            check(dnnl_eltwise_forward_primitive_desc_create(cell, engine, dnnl_forward_inference(),
                    dnnl_eltwise_relu(), md, md, 0f, 0f, MemorySegment.NULL),
                    "dnnl_eltwise_forward_primitive_desc_create");
            MemorySegment pd = cell.get(C_POINTER, 0);
            check(dnnl_primitive_create(cell, pd), "dnnl_primitive_create");
            MemorySegment relu = cell.get(C_POINTER, 0);

            MemorySegment args = dnnl_exec_arg_t.allocateArray(2, arena);
            dnnl_exec_arg_t.arg(dnnl_exec_arg_t.asSlice(args, 0), DNNL_ARG_SRC());
            dnnl_exec_arg_t.memory(dnnl_exec_arg_t.asSlice(args, 0), src);
            dnnl_exec_arg_t.arg(dnnl_exec_arg_t.asSlice(args, 1), DNNL_ARG_DST());
            dnnl_exec_arg_t.memory(dnnl_exec_arg_t.asSlice(args, 1), dst);
            check(dnnl_primitive_execute(relu, stream, 2, args), "dnnl_primitive_execute");
            check(dnnl_stream_wait(stream), "dnnl_stream_wait");

            check(dnnl_memory_get_data_handle(dst, cell), "dnnl_memory_get_data_handle");
            // the C_POINTER result is unbounded; slice exactly the 16 floats oneDNN allocated
            MemorySegment out = cell.get(C_POINTER, 0).asSlice(0, 16 * Float.BYTES);
            assertArrayEquals(expected, out.toArray(ValueLayout.JAVA_FLOAT));

            // release dependents before what they point into
            check(dnnl_primitive_destroy(relu), "dnnl_primitive_destroy");
            check(dnnl_primitive_desc_destroy(pd), "dnnl_primitive_desc_destroy");
            check(dnnl_memory_destroy(dst), "dnnl_memory_destroy");
            check(dnnl_memory_destroy(src), "dnnl_memory_destroy");
            check(dnnl_memory_desc_destroy(md), "dnnl_memory_desc_destroy");
            check(dnnl_stream_destroy(stream), "dnnl_stream_destroy");
            check(dnnl_engine_destroy(engine), "dnnl_engine_destroy");
        }
    }
}
