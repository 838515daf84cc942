package dev.affect.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolution order and error reporting, with injected properties/env/loader (no global state). */
class LibraryResolverTest {

    @TempDir
    Path tmp;

    private final List<Path> loaded = new ArrayList<>();

    private LibraryResolver resolver(LibrarySpec spec, Map<String, String> props, Map<String, String> env,
                                     LibraryResolver.Loader loader) {
        return new LibraryResolver(spec, props, env, getClass().getClassLoader(),
                new BundledLibraryCache(tmp.resolve("cache")), loader);
    }

    private LibraryResolver recording(LibrarySpec spec, Map<String, String> props, Map<String, String> env) {
        return resolver(spec, props, env, loaded::add);
    }

    @Test
    void bogusPropertyIsReportedAndNeverFallsBack() {
        // The real oneDNN spec: its bundled copy IS on the test class path, so a fallback would succeed.
        String bogus = tmp.resolve("nowhere/libdnnl.so.3").toString();
        var e = assertThrows(NativeLibraryUnavailableException.class, () -> recording(
                NativeLibraries.DNNL, Map.of("affect.native.dnnl", bogus), Map.of()).resolve());

        assertTrue(e.getMessage().contains("system property affect.native.dnnl=" + bogus), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("no other location was tried"), e.getMessage());
        assertFalse(e.getMessage().contains("class path resource"), e.getMessage());
        assertTrue(loaded.isEmpty(), "nothing may be loaded after an explicit path failed: " + loaded);
        assertFalse(Files.exists(tmp.resolve("cache")), "the bundle must not be extracted");
    }

    @Test
    void bogusEnvironmentVariableIsFinalToo() {
        var e = assertThrows(NativeLibraryUnavailableException.class, () -> recording(
                NativeLibraries.DNNL, Map.of(), Map.of("AFFECT_NATIVE_DNNL", tmp.toString())).resolve());

        assertTrue(e.getMessage().contains("system property affect.native.dnnl: not set"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("libdnnl.so.3").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no other location was tried"), e.getMessage());
        assertTrue(loaded.isEmpty());
    }

    @Test
    void explicitFileThatFailsToLoadDoesNotFallBack() throws IOException {
        Path lib = Files.writeString(tmp.resolve("libdnnl.so.3"), "not ELF");
        var e = assertThrows(NativeLibraryUnavailableException.class, () -> resolver(
                NativeLibraries.DNNL, Map.of("affect.native.dnnl", lib.toString()), Map.of(),
                file -> { throw new UnsatisfiedLinkError(file + ": invalid ELF header"); }).resolve());

        assertTrue(e.getMessage().contains("invalid ELF header"), e.getMessage());
        assertTrue(e.getMessage().contains("no other location was tried"), e.getMessage());
    }

    @Test
    void explicitDirectoryLoadsCompanionFirst() throws IOException {
        Path gomp = Files.writeString(tmp.resolve("libgomp.so.1"), "");
        Path dnnl = Files.writeString(tmp.resolve("libdnnl.so.3"), "");

        LoadedLibrary lib = recording(NativeLibraries.DNNL, Map.of("affect.native.dnnl", tmp.toString()), Map.of())
                .resolve();

        assertEquals(List.of(gomp, dnnl), loaded);
        assertEquals(dnnl, lib.path());
        assertEquals(List.of(gomp), lib.companions());
        assertTrue(lib.source().startsWith("system property affect.native.dnnl"), lib.source());
    }

    @Test
    void bundledCopyIsExtractedAndLoadedCompanionsFirst() {
        LibrarySpec spec = new LibrarySpec("Fake", "fake", "libfake.so.1",
                List.of("libcompanion.so.1", "libabsent.so.1"), "dev/affect/bindings/testbundle/", List.of());

        LoadedLibrary lib = recording(spec, Map.of(), Map.of()).resolve();

        assertEquals(2, loaded.size(), "absent companions are skipped: " + loaded);
        assertEquals("libcompanion.so.1", loaded.get(0).getFileName().toString());
        assertEquals(lib.path(), loaded.get(1));
        assertTrue(lib.path().startsWith(tmp.resolve("cache")), lib.path().toString());
    }

    @Test
    void searchPathIsWalkedInOrderAndSkipsCandidatesThatFailToLoad() throws IOException {
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Path good = Files.createDirectories(tmp.resolve("good"));
        Files.writeString(broken.resolve("libfake.so.1"), "");
        Path expected = Files.writeString(good.resolve("libfake.so.1"), "");
        LibrarySpec spec = new LibrarySpec("Fake", "fake", "libfake.so.1", List.of(), null, List.of());

        LoadedLibrary lib = resolver(spec, Map.of("java.library.path", broken.toString()),
                Map.of("LD_LIBRARY_PATH", good.toString()), file -> {
                    loaded.add(file);
                    if (file.startsWith(broken)) {
                        throw new UnsatisfiedLinkError("wrong ELF class");
                    }
                }).resolve();

        assertEquals(expected, lib.path());
        assertEquals(2, loaded.size());
    }

    @Test
    void failureListsEveryPlaceTried() throws IOException {
        LibrarySpec spec = new LibrarySpec("Missing", "missing", "libaffect-missing.so.1", List.of(),
                "dev/affect/bindings/nothing-here/", List.of(tmp.resolve("sys").toString()));
        var noResources = new URLClassLoader(new URL[0], null);

        var e = assertThrows(NativeLibraryUnavailableException.class, () -> new LibraryResolver(spec,
                Map.of("java.library.path", tmp.resolve("jlp").toString()),
                Map.of("LD_LIBRARY_PATH", tmp.resolve("ld1") + "::" + tmp.resolve("ld2")), noResources,
                new BundledLibraryCache(tmp.resolve("cache")), loaded::add).resolve());
        noResources.close();

        String m = e.getMessage();
        for (String expected : List.of("system property affect.native.missing: not set",
                "environment variable AFFECT_NATIVE_MISSING: not set",
                "class path resource dev/affect/bindings/nothing-here/libaffect-missing.so.1: not found",
                tmp.resolve("jlp/libaffect-missing.so.1") + ": no such file",
                tmp.resolve("ld1/libaffect-missing.so.1") + ": no such file",
                tmp.resolve("ld2/libaffect-missing.so.1") + ": no such file",
                tmp.resolve("sys/libaffect-missing.so.1") + ": no such file",
                "-Daffect.native.missing")) {
            assertTrue(m.contains(expected), () -> "missing '" + expected + "' in:\n" + m);
        }
        List<Integer> order = List.of("jlp/", "ld1/", "ld2/", "sys/").stream()
                .map(d -> m.indexOf(tmp.resolve(d).toString())).toList();
        assertEquals(order.stream().sorted().toList(), order, "search order: " + m);
        assertTrue(loaded.isEmpty());
    }
}
