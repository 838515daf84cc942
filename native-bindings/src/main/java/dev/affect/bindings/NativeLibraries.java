package dev.affect.bindings;

import java.lang.foreign.SymbolLookup;
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
 * when a backend opens, before touching {@code dnnl_h}; likewise {@link #turbojpeg()} before
 * {@code turbojpeg_h}.
 */
public final class NativeLibraries {

    /** oneDNN 3.x; the bytedeco jar bundles it with the libgomp it was built against. */
    static final LibrarySpec DNNL = new LibrarySpec("oneDNN", "dnnl", "libdnnl.so.3",
            List.of("libgomp.so.1"), "org/bytedeco/dnnl/linux-x86_64/", LibrarySpec.DEFAULT_SYSTEM_DIRS);

    private static final LoadOnce DNNL_ONCE = new LoadOnce(() -> resolverFor(DNNL).resolve());

    /**
     * libjpeg-turbo's TurboJPEG library, optional (image decoding falls back to javax.imageio). Never
     * bundled: Debian's libturbojpeg0 and the upstream installer (/opt/libjpeg-turbo) provide it.
     */
    static final LibrarySpec TURBOJPEG = new LibrarySpec("libjpeg-turbo (TurboJPEG)", "turbojpeg", "libturbojpeg.so.0",
            List.of(), null, List.of("/usr/lib/x86_64-linux-gnu", "/usr/local/lib", "/usr/lib64", "/opt/libjpeg-turbo/lib64"));

    /**
     * The TurboJPEG functions turbojpeg_h binds. tjGetErrorStr2/tjGetErrorCode came with the 2.0 API; a
     * 1.x libturbojpeg.so.0 lacks them, and the generated holder class would then fail with an
     * ExceptionInInitializerError on first call, so check here and report it as unavailable instead.
     */
    static final List<String> TURBOJPEG_SYMBOLS = List.of("tjInitDecompress", "tjDecompressHeader3",
            "tjDecompress2", "tjDestroy", "tjGetErrorStr2", "tjGetErrorCode");

    private static final LoadOnce TURBOJPEG_ONCE = new LoadOnce(
            () -> requireSymbols(resolverFor(TURBOJPEG).resolve(), TURBOJPEG_SYMBOLS));

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

    /**
     * Loads libturbojpeg.so.0 if not loaded yet: system property {@code affect.native.turbojpeg}, then
     * {@code AFFECT_NATIVE_TURBOJPEG}, then the search path (there is no bundled copy).
     *
     * @return what was loaded and from where
     * @throws NativeLibraryUnavailableException listing every place tried, or naming the TurboJPEG 2.0
     *         functions the library lacks; the first failure is remembered and rethrown on later calls
     */
    public static LoadedLibrary turbojpeg() {
        return TURBOJPEG_ONCE.get();
    }

    private static LoadedLibrary requireSymbols(LoadedLibrary lib, List<String> symbols) {
        // loaderLookup() is caller-sensitive: from this class it sees what systemLoad loaded.
        SymbolLookup lookup = SymbolLookup.loaderLookup();
        List<String> missing = symbols.stream().filter(s -> lookup.find(s).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new NativeLibraryUnavailableException(lib + " lacks " + String.join(", ", missing)
                    + " (the TurboJPEG 2.0 API or newer is needed)");
        }
        return lib;
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
