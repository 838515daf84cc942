package dev.affect.bindings;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the native libraries behind the generated bindings, once each, on first use.
 *
 * <p>The generated {@code *_h} classes look symbols up with {@code SymbolLookup.loaderLookup()}, which
 * only sees libraries that a class of their own class loader passed to {@code System.load}; this class
 * lives beside them for that reason and loads absolute paths only (see {@link LibraryResolver} for the
 * order). Nothing is loaded in a static initialiser: call {@link #dnnl()} (or {@code Dnnl.load()})
 * when a backend opens, before touching {@code dnnl_h}.
 */
public final class NativeLibraries {

    /** oneDNN 3.x; the bytedeco jar bundles it with the libgomp it was built against. */
    static final LibrarySpec DNNL = new LibrarySpec("oneDNN", "dnnl", "libdnnl.so.3",
            List.of("libgomp.so.1"), "org/bytedeco/dnnl/linux-x86_64/", LibrarySpec.DEFAULT_SYSTEM_DIRS);

    private static final LoadOnce DNNL_ONCE = new LoadOnce(() -> resolverFor(DNNL).resolve());

    private NativeLibraries() {
    }

    /**
     * Loads oneDNN (and its libgomp, when found beside it) if not loaded yet.
     *
     * @return what was loaded and from where
     * @throws NativeLibraryUnavailableException listing every place tried; the first failure is
     *         remembered and rethrown on later calls
     */
    public static LoadedLibrary dnnl() {
        return DNNL_ONCE.get();
    }

    private static LibraryResolver resolverFor(LibrarySpec spec) {
        Map<String, String> properties = systemProperties();
        Map<String, String> env = System.getenv();
        return new LibraryResolver(spec, properties, env, NativeLibraries.class.getClassLoader(),
                new BundledLibraryCache(BundledLibraryCache.defaultRoot(properties, env)),
                NativeLibraries::systemLoad);
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> copy = new HashMap<>();
        System.getProperties().forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
        return copy;
    }

    // System.load binds the library to the caller's class loader: it must be called from this class.
    private static void systemLoad(Path file) {
        System.load(file.toString());
    }
}
