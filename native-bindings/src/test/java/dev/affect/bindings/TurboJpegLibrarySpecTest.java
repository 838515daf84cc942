package dev.affect.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libturbojpeg's place in the resolution order, with injected properties/env/loader (no global state). */
class TurboJpegLibrarySpecTest {

    @TempDir
    Path tmp;

    private final List<Path> loaded = new ArrayList<>();

    private LibraryResolver resolver(Map<String, String> props, Map<String, String> env, LibraryResolver.Loader loader) {
        return new LibraryResolver(NativeLibraries.TURBOJPEG, props, env, getClass().getClassLoader(),
                new BundledLibraryCache(tmp.resolve("cache")), loader);
    }

    @Test
    void keysAndFileFollowTheConvention() {
        assertEquals("affect.native.turbojpeg", NativeLibraries.TURBOJPEG.propertyKey());
        assertEquals("AFFECT_NATIVE_TURBOJPEG", NativeLibraries.TURBOJPEG.envKey());
        assertEquals("libturbojpeg.so.0", NativeLibraries.TURBOJPEG.fileName());
        assertEquals(null, NativeLibraries.TURBOJPEG.resourceDir(), "never bundled");
        assertTrue(NativeLibraries.TURBOJPEG.systemDirs().contains("/usr/lib/x86_64-linux-gnu"));
    }

    @Test
    void failureListsEveryPlaceTried() {
        Path ld = tmp.resolve("ld");
        var e = assertThrows(NativeLibraryUnavailableException.class, () -> resolver(
                Map.of("java.library.path", tmp.resolve("jlp").toString()), Map.of("LD_LIBRARY_PATH", ld.toString()),
                file -> { throw new UnsatisfiedLinkError(file + ": refused by the test"); }).resolve());

        String m = e.getMessage();
        assertTrue(m.startsWith("libjpeg-turbo (TurboJPEG) (libturbojpeg.so.0) could not be loaded"), m);
        assertTrue(m.contains("system property affect.native.turbojpeg: not set"), m);
        assertTrue(m.contains("environment variable AFFECT_NATIVE_TURBOJPEG: not set"), m);
        assertTrue(m.contains(tmp.resolve("jlp/libturbojpeg.so.0") + ": no such file"), m);
        assertTrue(m.contains(ld.resolve("libturbojpeg.so.0") + ": no such file"), m);
        for (String dir : NativeLibraries.TURBOJPEG.systemDirs()) {
            // each system directory is listed: either absent, or present and refused by the loader
            assertTrue(m.contains(Path.of(dir).resolve("libturbojpeg.so.0").toString()), dir + " missing from:\n" + m);
        }
        assertTrue(m.contains("Set -Daffect.native.turbojpeg or AFFECT_NATIVE_TURBOJPEG"), m);
        assertTrue(!m.contains("class path resource"), "there is no bundle to try:\n" + m);
    }

    @Test
    void explicitDirectoryWinsAndIsFinal() throws Exception {
        Path lib = Files.writeString(tmp.resolve("libturbojpeg.so.0"), "");
        LoadedLibrary found = resolver(Map.of(), Map.of("AFFECT_NATIVE_TURBOJPEG", tmp.toString()), loaded::add).resolve();
        assertEquals(lib, found.path());
        assertEquals(List.of(lib), loaded);

        var e = assertThrows(NativeLibraryUnavailableException.class, () -> resolver(
                Map.of("affect.native.turbojpeg", tmp.resolve("nowhere").toString()), Map.of(), loaded::add).resolve());
        assertTrue(e.getMessage().contains("no other location was tried"), e.getMessage());
        assertEquals(1, loaded.size(), "nothing more may be loaded after an explicit path failed");
    }
}
