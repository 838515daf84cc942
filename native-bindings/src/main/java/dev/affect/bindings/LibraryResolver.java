package dev.affect.bindings;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and loads one native library by absolute path, in this order:
 * <ol>
 *   <li>system property {@code affect.native.<id>} (the library file, or a directory holding it);</li>
 *   <li>environment variable {@code AFFECT_NATIVE_<ID>} (same meaning);</li>
 *   <li>a copy bundled as class path resources, extracted by {@link BundledLibraryCache};</li>
 *   <li>the search path: java.library.path, LD_LIBRARY_PATH, then {@link LibrarySpec#systemDirs()}.</li>
 * </ol>
 * An explicitly set property or variable is final: if it fails, nothing else is tried, so a typo
 * never silently loads some other copy. Companion libraries (libgomp for oneDNN) are loaded first,
 * from the same place, when present there.
 *
 * <p>Properties, environment, class loader, cache and the load call are injected so tests can
 * exercise every branch without touching global state.
 */
final class LibraryResolver {

    /** Loads one file; production code passes a method that calls {@code System.load}. */
    @FunctionalInterface
    interface Loader {
        void load(Path file);
    }

    private record Attempt(String where, String outcome) {
        @Override
        public String toString() {
            return "  - " + where + ": " + outcome;
        }
    }

    /** A candidate failed to load; the resolver records it and (unless explicit) moves on. */
    private static final class CandidateFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CandidateFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final LibrarySpec spec;
    private final Map<String, String> properties;
    private final Map<String, String> env;
    private final ClassLoader resources;
    private final BundledLibraryCache cache;
    private final Loader loader;
    private final List<Attempt> attempts = new ArrayList<>();

    LibraryResolver(LibrarySpec spec, Map<String, String> properties, Map<String, String> env,
                    ClassLoader resources, BundledLibraryCache cache, Loader loader) {
        this.spec = spec;
        this.properties = properties;
        this.env = env;
        this.resources = resources;
        this.cache = cache;
        this.loader = loader;
    }

    /** Resolves and loads the library; a resolver is single-use. */
    LoadedLibrary resolve() {
        String property = properties.get(spec.propertyKey());
        if (property != null && !property.isBlank()) {
            return explicit("system property " + spec.propertyKey() + "=" + property, property);
        }
        attempts.add(new Attempt("system property " + spec.propertyKey(), "not set"));

        String variable = env.get(spec.envKey());
        if (variable != null && !variable.isBlank()) {
            return explicit("environment variable " + spec.envKey() + "=" + variable, variable);
        }
        attempts.add(new Attempt("environment variable " + spec.envKey(), "not set"));

        LoadedLibrary bundled = fromBundle();
        if (bundled != null) {
            return bundled;
        }
        for (Path dir : searchPath()) {
            LoadedLibrary found = fromDirectory(dir);
            if (found != null) {
                return found;
            }
        }
        throw failure(null);
    }

    private LoadedLibrary explicit(String source, String value) {
        try {
            Path file = toFile(value);
            return loadWithCompanions(file, source);
        } catch (CandidateFailed e) {
            attempts.add(new Attempt(source, e.getMessage()));
            throw failure("it was set explicitly, so no other location was tried");
        }
    }

    private Path toFile(String value) throws CandidateFailed {
        Path path;
        try {
            path = Path.of(value.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new CandidateFailed("not a valid path (" + e.getMessage() + ")");
        }
        Path file = Files.isDirectory(path) ? path.resolve(spec.fileName()) : path;
        if (!Files.isRegularFile(file)) {
            throw new CandidateFailed(file + " does not exist or is not a regular file");
        }
        return file;
    }

    private LoadedLibrary fromBundle() {
        if (spec.resourceDir() == null) {
            return null;
        }
        String where = "class path resource " + spec.resourceDir() + spec.fileName();
        if (resources.getResource(spec.resourceDir() + spec.fileName()) == null) {
            attempts.add(new Attempt(where, "not found"));
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String companion : spec.companions()) {
            if (resources.getResource(spec.resourceDir() + companion) != null) {
                names.add(companion);
            }
        }
        names.add(spec.fileName());
        try {
            List<Path> files = cache.extract(resources, spec.resourceDir(), names);
            Path main = files.getLast();
            List<Path> companions = files.subList(0, files.size() - 1);
            for (Path companion : companions) {
                load(companion);
            }
            load(main);
            return new LoadedLibrary(spec.name(), main, companions,
                    where + " (extracted to " + main.getParent() + ")");
        } catch (IOException e) {
            attempts.add(new Attempt(where, "extraction to " + cache.root() + " failed: " + e));
        } catch (CandidateFailed e) {
            attempts.add(new Attempt(where, e.getMessage()));
        }
        return null;
    }

    private LoadedLibrary fromDirectory(Path dir) {
        Path file = dir.resolve(spec.fileName());
        if (!Files.isRegularFile(file)) {
            attempts.add(new Attempt(file.toString(), "no such file"));
            return null;
        }
        try {
            return loadWithCompanions(file, "search path entry " + dir);
        } catch (CandidateFailed e) {
            attempts.add(new Attempt(file.toString(), e.getMessage()));
            return null;
        }
    }

    private LoadedLibrary loadWithCompanions(Path file, String source) throws CandidateFailed {
        List<Path> companions = new ArrayList<>();
        for (String name : spec.companions()) {
            Path companion = file.resolveSibling(name);
            if (Files.isRegularFile(companion)) {
                load(companion);
                companions.add(companion);
            }
        }
        load(file);
        return new LoadedLibrary(spec.name(), file, companions, source);
    }

    private void load(Path file) throws CandidateFailed {
        try {
            loader.load(file);
        } catch (UnsatisfiedLinkError e) {
            throw new CandidateFailed("System.load(" + file + ") failed: " + e.getMessage());
        }
    }

    /** java.library.path, LD_LIBRARY_PATH, then the fixed directories; duplicates and blanks dropped. */
    private List<Path> searchPath() {
        Set<String> dirs = new LinkedHashSet<>();
        addEntries(dirs, properties.get("java.library.path"), File.pathSeparator);
        addEntries(dirs, env.get("LD_LIBRARY_PATH"), ":");
        dirs.addAll(spec.systemDirs());
        List<Path> paths = new ArrayList<>();
        for (String dir : dirs) {
            try {
                paths.add(Path.of(dir).toAbsolutePath().normalize());
            } catch (InvalidPathException e) {
                attempts.add(new Attempt("search path entry " + dir, "not a valid path"));
            }
        }
        return paths.stream().distinct().toList();
    }

    private static void addEntries(Set<String> into, String list, String separator) {
        if (list == null) {
            return;
        }
        for (String entry : list.split(separator)) {
            if (!entry.isBlank()) {
                into.add(entry.strip());
            }
        }
    }

    private NativeLibraryUnavailableException failure(String note) {
        StringBuilder message = new StringBuilder()
                .append(spec.name()).append(" (").append(spec.fileName()).append(") could not be loaded");
        if (note != null) {
            message.append("; ").append(note);
        }
        message.append(". Tried:");
        for (Attempt attempt : attempts) {
            message.append('\n').append(attempt);
        }
        if (note == null) {
            message.append("\nSet -D").append(spec.propertyKey()).append(" or ").append(spec.envKey())
                    .append(" to the library file or its directory.");
        }
        return new NativeLibraryUnavailableException(message.toString());
    }
}
