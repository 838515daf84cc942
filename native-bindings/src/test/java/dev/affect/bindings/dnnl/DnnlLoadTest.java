package dev.affect.bindings.dnnl;

import dev.affect.bindings.LoadedLibrary;
import dev.affect.bindings.dnnl.gen.dnnl_h;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnnlLoadTest {

    @Test
    void loadsOnceAndReportsVersion3() {
        LoadedLibrary lib = Dnnl.load();

        assertTrue(Files.isRegularFile(lib.path()), lib.toString());
        assertSame(lib, Dnnl.load());
        String version = Dnnl.version();
        assertTrue(version.startsWith("3."), version);
    }

    @Test
    void effectiveCpuIsaIsKnown() {
        int isa = Dnnl.effectiveCpuIsa();
        assertNotEquals(0, isa, "dnnl_get_effective_cpu_isa returned dnnl_cpu_isa_default");
        assertNotEquals(dnnl_h.dnnl_cpu_isa_default(), isa);
    }

    @Test
    void threadCountRoundTripsThroughOpenMp() {
        int before = Dnnl.maxThreads();
        assertTrue(before >= 1, "omp_get_max_threads " + before);
        try {
            Dnnl.setNumThreads(1);
            assertEquals(1, Dnnl.maxThreads());
        } finally {
            Dnnl.setNumThreads(before);
        }
        assertThrows(IllegalArgumentException.class, () -> Dnnl.setNumThreads(0));
    }

    @Test
    void macrosRewrittenInTheFacadeMatchTheHeader() {
        assertEquals(32768, Dnnl.argAttrMultiplePostOp(0));
        assertEquals(32768 * 3, Dnnl.argAttrMultiplePostOp(2));
        assertEquals(-1L, Dnnl.MEMORY_ALLOCATE.address());
        assertEquals(0L, Dnnl.MEMORY_NONE.address());
        assertEquals(1, dnnl_h.DNNL_ARG_SRC());
        assertEquals(17, dnnl_h.DNNL_ARG_DST());
        assertEquals(12, dnnl_h.DNNL_MAX_NDIMS());
    }
}
