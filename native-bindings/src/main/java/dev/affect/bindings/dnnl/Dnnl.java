package dev.affect.bindings.dnnl;

import dev.affect.bindings.LoadedLibrary;
import dev.affect.bindings.NativeLibraries;
import dev.affect.bindings.NativeLibraryUnavailableException;
import dev.affect.bindings.dnnl.gen.dnnl_h;
import dev.affect.bindings.dnnl.gen.dnnl_version_t;
import dev.affect.bindings.omp.gen.omp_h;

import java.lang.foreign.MemorySegment;

/**
 * Hand-written entry point to oneDNN: loading, status checking, and the few C macros jextract
 * cannot express. Primitive creation stays in the generated {@link dnnl_h}, called directly by the
 * CPU backend and wrapped in {@link #check}.
 *
 * <p>Call {@link #load()} before the first {@code dnnl_h} call: the generated bindings resolve
 * symbols on first use and fail permanently if the library is not loaded yet. Every method here
 * loads on its own. All methods are thread-safe (oneDNN's global functions are).
 */
public final class Dnnl {

    /** {@code DNNL_MEMORY_ALLOCATE}, {@code ((void *)(size_t)-1)}: let oneDNN allocate the buffer. */
    public static final MemorySegment MEMORY_ALLOCATE = MemorySegment.ofAddress(-1L);

    /** {@code DNNL_MEMORY_NONE}, {@code NULL}: create a memory object without a buffer. */
    public static final MemorySegment MEMORY_NONE = MemorySegment.NULL;

    private Dnnl() {
    }

    /**
     * Loads libdnnl (and its libgomp) once; cheap after the first call.
     *
     * @throws NativeLibraryUnavailableException listing every place tried
     */
    public static LoadedLibrary load() {
        return NativeLibraries.dnnl();
    }

    /**
     * Throws if {@code status} is not {@code dnnl_success}.
     *
     * @param status   the {@code dnnl_status_t} a {@code dnnl_h} call returned
     * @param function the C function's name, for the message
     * @throws DnnlException carrying the function, the code and oneDNN's text for it
     */
    public static void check(int status, String function) {
        if (status != dnnl_h.dnnl_success()) {
            throw new DnnlException(function, status, statusText(status));
        }
    }

    /** oneDNN's name for a status code ({@code dnnl_status2str}), e.g. {@code invalid_arguments}. */
    public static String statusText(int status) {
        load();
        return cString(dnnl_h.dnnl_status2str(status), "unknown status");
    }

    /** The loaded library's version as {@code major.minor.patch (git hash)}, e.g. {@code 3.13.0 (abc123)}. */
    public static String version() {
        load();
        // dnnl_version() returns a pointer to a static struct; the C_POINTER result is unbounded
        MemorySegment v = dnnl_h.dnnl_version().asSlice(0, dnnl_version_t.sizeof());
        String number = dnnl_version_t.major(v) + "." + dnnl_version_t.minor(v) + "." + dnnl_version_t.patch(v);
        String hash = cString(dnnl_version_t.hash(v), "");
        return hash.isEmpty() ? number : number + " (" + hash + ")";
    }

    /** The {@code dnnl_cpu_isa_t} oneDNN dispatches to on this machine (never {@code dnnl_cpu_isa_default}). */
    public static int effectiveCpuIsa() {
        load();
        return dnnl_h.dnnl_get_effective_cpu_isa();
    }

    /** The name of the effective ISA as oneDNN spells it, e.g. {@code avx512_core_amx}. */
    public static String effectiveCpuIsaName() {
        int isa = effectiveCpuIsa();
        // several names share a value (avx10_1_512_amx == avx512_core_amx); keep the classic ones
        java.util.Map<String, Integer> names = new java.util.LinkedHashMap<>();
        names.put("sse41", dnnl_h.dnnl_cpu_isa_sse41());
        names.put("avx", dnnl_h.dnnl_cpu_isa_avx());
        names.put("avx2", dnnl_h.dnnl_cpu_isa_avx2());
        names.put("avx2_vnni", dnnl_h.dnnl_cpu_isa_avx2_vnni());
        names.put("avx2_vnni_2", dnnl_h.dnnl_cpu_isa_avx2_vnni_2());
        names.put("avx512_core", dnnl_h.dnnl_cpu_isa_avx512_core());
        names.put("avx512_core_vnni", dnnl_h.dnnl_cpu_isa_avx512_core_vnni());
        names.put("avx512_core_bf16", dnnl_h.dnnl_cpu_isa_avx512_core_bf16());
        names.put("avx512_core_fp16", dnnl_h.dnnl_cpu_isa_avx512_core_fp16());
        names.put("avx512_core_amx", dnnl_h.dnnl_cpu_isa_avx512_core_amx());
        names.put("avx512_core_amx_fp16", dnnl_h.dnnl_cpu_isa_avx512_core_amx_fp16());
        return names.entrySet().stream().filter(e -> e.getValue() == isa).map(java.util.Map.Entry::getKey)
                .findFirst().orElse("isa 0x" + Integer.toHexString(isa));
    }

    /**
     * Sets the OpenMP thread count oneDNN's CPU primitives use ({@code omp_set_num_threads}).
     * OpenMP keeps this per calling thread's team: call it on the threads that execute primitives.
     */
    public static void setNumThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        load();
        omp_h.omp_set_num_threads(threads);
    }

    /** The OpenMP team size a parallel region started from this thread would get ({@code omp_get_max_threads}). */
    public static int maxThreads() {
        load();
        return omp_h.omp_get_max_threads();
    }

    /**
     * {@code DNNL_ARG_ATTR_MULTIPLE_POST_OP(idx)}: the execute-argument index of post-op {@code idx}'s
     * extra input (e.g. a binary post-op's second source), to be OR-ed with {@code DNNL_ARG_SRC_1}.
     */
    public static int argAttrMultiplePostOp(int idx) {
        if (idx < 0) {
            throw new IllegalArgumentException("post-op index must be >= 0, got " + idx);
        }
        return dnnl_h.DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE() * (idx + 1);
    }

    // C strings returned by oneDNN are static storage: read them immediately, never keep the segment.
    private static String cString(MemorySegment s, String ifNull) {
        return s.address() == 0 ? ifNull : s.getString(0);
    }
}
