package dev.affect.bindings;

import java.util.List;
import java.util.Locale;

/**
 * Where one native library may come from; the data {@link LibraryResolver} walks through.
 *
 * @param name        display name used in messages, e.g. {@code oneDNN}
 * @param id          short id: the system property is {@code affect.native.<id>}, the environment
 *                    variable {@code AFFECT_NATIVE_<ID>}
 * @param fileName    the exact file to load (a versioned soname such as {@code libdnnl.so.3}, because
 *                    runtime-only installs lack the unversioned {@code .so})
 * @param companions  files loaded first when they sit beside {@code fileName} (e.g. {@code libgomp.so.1})
 * @param resourceDir class path directory holding a bundled copy ({@code null}: none), ending in {@code /}
 * @param systemDirs  fixed directories searched after java.library.path and LD_LIBRARY_PATH
 */
record LibrarySpec(String name, String id, String fileName, List<String> companions, String resourceDir,
                   List<String> systemDirs) {

    /** The platform directories searched last, after the path variables. */
    static final List<String> DEFAULT_SYSTEM_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/local/lib");

    LibrarySpec {
        companions = List.copyOf(companions);
        systemDirs = List.copyOf(systemDirs);
    }

    String propertyKey() {
        return "affect.native." + id;
    }

    String envKey() {
        return "AFFECT_NATIVE_" + id.toUpperCase(Locale.ROOT);
    }
}
