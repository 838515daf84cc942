package dev.affect.bindings;

import java.nio.file.Path;
import java.util.List;

/**
 * A native library that {@link NativeLibraries} loaded with {@code System.load}.
 *
 * @param name       display name, e.g. {@code oneDNN}
 * @param path       absolute path of the main library file
 * @param companions libraries loaded first from the same place (e.g. the bundled libgomp)
 * @param source     where it was found, e.g. {@code system property affect.native.dnnl}
 */
public record LoadedLibrary(String name, Path path, List<Path> companions, String source) {
    public LoadedLibrary {
        companions = List.copyOf(companions);
    }

    @Override
    public String toString() {
        return name + " from " + path + " (" + source + ")";
    }
}
