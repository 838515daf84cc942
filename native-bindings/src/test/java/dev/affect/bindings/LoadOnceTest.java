package dev.affect.bindings;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoadOnceTest {

    @Test
    void failureIsRememberedAndRethrownWithTheFirstAsCause() {
        AtomicInteger calls = new AtomicInteger();
        var once = new LoadOnce(() -> {
            calls.incrementAndGet();
            throw new NativeLibraryUnavailableException("nope");
        });

        var first = assertThrows(NativeLibraryUnavailableException.class, once::get);
        var second = assertThrows(NativeLibraryUnavailableException.class, once::get);

        assertEquals(1, calls.get());
        assertEquals("nope", second.getMessage());
        assertSame(first, second.getCause());
    }

    @Test
    void successIsCached() {
        AtomicInteger calls = new AtomicInteger();
        var lib = new LoadedLibrary("x", Path.of("/x"), List.of(), "test");
        var once = new LoadOnce(() -> {
            calls.incrementAndGet();
            return lib;
        });

        assertSame(lib, once.get());
        assertSame(lib, once.get());
        assertEquals(1, calls.get());
    }
}
