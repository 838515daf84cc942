package dev.affect.bindings.dnnl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnnlCheckTest {

    @BeforeAll
    static void load() {
        Dnnl.load();
    }

    @Test
    void failingCallNamesTheFunctionAndOneDnnsText() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment md = arena.allocate(C_POINTER);
            MemorySegment dims = arena.allocate(C_LONG, DNNL_MAX_NDIMS());

            int status = dnnl_memory_desc_create_with_tag(md, -1, dims, dnnl_f32(), dnnl_nchw());

            var e = assertThrows(DnnlException.class,
                    () -> Dnnl.check(status, "dnnl_memory_desc_create_with_tag"));
            assertEquals(dnnl_invalid_arguments(), e.code());
            assertEquals("dnnl_memory_desc_create_with_tag", e.function());
            assertEquals("oneDNN", e.library());
            assertEquals("invalid_arguments", e.statusText());
            assertTrue(e.getMessage().contains("dnnl_memory_desc_create_with_tag"), e.getMessage());
            assertTrue(e.getMessage().contains("invalid_arguments"), e.getMessage());
        }
    }

    @Test
    void successPasses() {
        assertDoesNotThrow(() -> Dnnl.check(dnnl_success(), "dnnl_anything"));
    }

    @Test
    void statusTextComesFromOneDnn() {
        assertEquals("success", Dnnl.statusText(dnnl_success()));
        assertEquals("out_of_memory", Dnnl.statusText(dnnl_out_of_memory()));
    }
}
