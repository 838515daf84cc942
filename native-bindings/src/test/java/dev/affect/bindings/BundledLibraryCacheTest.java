package dev.affect.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundledLibraryCacheTest {
    private static final String DIR = "dev/affect/bindings/testbundle/";
    private static final List<String> FILES = List.of("libcompanion.so.1", "libfake.so.1");

    @TempDir
    Path tmp;

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void extractsIntoContentAddressedDirectoryAndReusesIt() throws Exception {
        var cache = new BundledLibraryCache(tmp);
        List<Path> first = cache.extract(loader, DIR, FILES);
        Object inode = Files.readAttributes(first.get(1), "unix:ino");

        List<Path> second = cache.extract(loader, DIR, FILES);

        assertEquals(first, second);
        assertEquals(inode, Files.readAttributes(second.get(1), "unix:ino"), "a cache hit must not rewrite");
        assertTrue(first.get(0).getParent().getFileName().toString().matches("[0-9a-f]{16}"), first.toString());
        try (var in = loader.getResourceAsStream(DIR + "libfake.so.1")) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(first.get(1)));
        }
    }

    @Test
    void concurrentExtractionsAgreeAndLeaveNoTemporaryFiles() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<Path>>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(() -> {
                start.await();
                return new BundledLibraryCache(tmp).extract(loader, DIR, FILES);
            });
        }
        List<Future<List<Path>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            tasks.forEach(t -> results.add(pool.submit(t)));
            start.countDown();
            for (Future<List<Path>> r : results) {
                assertEquals(results.getFirst().get(), r.get());
            }
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void missingResourceIsAnIOException() {
        var cache = new BundledLibraryCache(tmp);
        assertThrows(IOException.class, () -> cache.extract(loader, DIR, List.of("libnope.so")));
    }

    @Test
    void defaultRootFollowsXdgThenHome() {
        assertEquals(Path.of("/x/affect/native"),
                BundledLibraryCache.defaultRoot(Map.of("user.home", "/h"), Map.of("XDG_CACHE_HOME", "/x")));
        assertEquals(Path.of("/h/.cache/affect/native"),
                BundledLibraryCache.defaultRoot(Map.of("user.home", "/h"), Map.of()));
        // the XDG spec says relative values are invalid and must be ignored
        assertEquals(Path.of("/h/.cache/affect/native"),
                BundledLibraryCache.defaultRoot(Map.of("user.home", "/h"), Map.of("XDG_CACHE_HOME", "rel")));
    }
}
