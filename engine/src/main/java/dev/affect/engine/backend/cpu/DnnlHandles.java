package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The oneDNN objects one plan creates, destroyed in reverse order by {@link #close()}, plus the
 * small checked constructors the plan builder needs. Out-parameters live in a confined scratch
 * arena per call; handles outlive it because they are plain addresses.
 */
final class DnnlHandles implements AutoCloseable {
    private final Deque<Runnable> destructors = new ArrayDeque<>();

    static MemorySegment dims(Arena a, Shape s) {
        return a.allocateFrom(ValueLayout.JAVA_LONG, s.longDims());
    }

    static MemorySegment dims(Arena a, long... d) {
        return a.allocateFrom(ValueLayout.JAVA_LONG, d);
    }

    /** A memory descriptor with a format tag (plain abcd..., or format_tag_any to let oneDNN choose). */
    MemorySegment md(Shape shape, int tag) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_memory_desc_create_with_tag(out, shape.rank(), dims(a, shape), dnnl_f32(), tag),
                    "dnnl_memory_desc_create_with_tag");
            return own(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    MemorySegment plainMd(Shape shape) {
        return md(shape, plainTag(shape.rank()));
    }

    MemorySegment anyMd(Shape shape) {
        return md(shape, dnnl_format_tag_any());
    }

    static int plainTag(int rank) {
        return switch (rank) {
            case 1 -> dnnl_a();
            case 2 -> dnnl_ab();
            case 3 -> dnnl_abc();
            case 4 -> dnnl_abcd();
            case 5 -> dnnl_abcde();
            default -> throw new IllegalArgumentException("rank " + rank + " not supported by the cpu backend");
        };
    }

    /** Registers a memory descriptor we own (created or cloned). */
    MemorySegment own(MemorySegment md) {
        destructors.push(() -> Dnnl.check(dnnl_memory_desc_destroy(md), "dnnl_memory_desc_destroy"));
        return md;
    }

    /** A copy of a descriptor owned by a primitive descriptor, so it survives the pd. */
    MemorySegment cloneMd(MemorySegment md) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_memory_desc_clone(out, md), "dnnl_memory_desc_clone");
            return own(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * The element strides of a dense layout without inner blocks (plain, nhwc or any permutation of
     * them), or null for a blocked one such as nChw16c: the layouts a permutation can view for free.
     */
    static long[] strides(MemorySegment md, int rank) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment kind = a.allocate(ValueLayout.JAVA_INT);
            Dnnl.check(dnnl_memory_desc_query(md, dnnl_query_format_kind(), kind), "dnnl_memory_desc_query(format_kind)");
            if (kind.get(ValueLayout.JAVA_INT, 0) != dnnl_blocked()) {
                return null;
            }
            MemorySegment blocks = a.allocate(ValueLayout.JAVA_INT);
            Dnnl.check(dnnl_memory_desc_query(md, dnnl_query_inner_nblks_s32(), blocks), "dnnl_memory_desc_query(inner_nblks)");
            if (blocks.get(ValueLayout.JAVA_INT, 0) != 0) {
                return null;
            }
            MemorySegment ptr = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_memory_desc_query(md, dnnl_query_strides(), ptr), "dnnl_memory_desc_query(strides)");
            MemorySegment st = ptr.get(ValueLayout.ADDRESS, 0).reinterpret(8L * rank);
            return st.toArray(ValueLayout.JAVA_LONG);
        }
    }

    static boolean sameLayout(MemorySegment a, MemorySegment b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    static long size(MemorySegment md) {
        return dnnl_memory_desc_get_size(md);
    }

    /** A memory object with no data yet; the buffer is bound once buffers are planned. */
    MemorySegment memory(MemorySegment engine, MemorySegment md, MemorySegment data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_memory_create(out, md, engine, data), "dnnl_memory_create");
            MemorySegment mem = out.get(ValueLayout.ADDRESS, 0);
            destructors.push(() -> Dnnl.check(dnnl_memory_destroy(mem), "dnnl_memory_destroy"));
            return mem;
        }
    }

    MemorySegment primitive(MemorySegment pd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_primitive_create(out, pd), "dnnl_primitive_create");
            MemorySegment p = out.get(ValueLayout.ADDRESS, 0);
            destructors.push(() -> Dnnl.check(dnnl_primitive_destroy(p), "dnnl_primitive_destroy"));
            return p;
        }
    }

    /** A pd is kept until the plan closes: queried descriptors point into it. */
    MemorySegment ownPd(MemorySegment pd) {
        destructors.push(() -> Dnnl.check(dnnl_primitive_desc_destroy(pd), "dnnl_primitive_desc_destroy"));
        return pd;
    }

    /** Destroys everything, in reverse order of creation; the first failure is rethrown after all ran. */
    @Override
    public void close() {
        RuntimeException first = null;
        while (!destructors.isEmpty()) {
            try {
                destructors.pop().run();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
