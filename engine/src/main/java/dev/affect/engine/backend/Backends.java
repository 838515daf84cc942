package dev.affect.engine.backend;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Opens a backend by name, or the best available one for {@code auto}, logging what it skipped. */
public final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    private Backends() {
    }

    public static List<BackendProvider> providers() {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(BackendProvider::priority).reversed()).toList();
    }

    public static List<String> names() {
        return providers().stream().map(BackendProvider::name).toList();
    }

    /** The provider of a named backend (not "auto"); IllegalArgumentException listing the known ones. */
    public static BackendProvider provider(String name) {
        List<BackendProvider> all = providers();
        return all.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + name + "'; known: "
                        + all.stream().map(BackendProvider::name).collect(Collectors.joining(", ")) + ", auto"));
    }

    public static Backend open(String name) {
        return open(name, BackendOptions.defaults());
    }

    public static Backend open(String name, BackendOptions options) {
        List<BackendProvider> all = providers();
        if (name.equals("auto")) {
            StringBuilder skipped = new StringBuilder();
            for (BackendProvider p : all) {
                Optional<String> why = p.unavailableReason();
                if (why.isEmpty()) {
                    return p.open(options);
                }
                LOG.log(System.Logger.Level.INFO, "backend {0} unavailable: {1}", p.name(), why.get());
                skipped.append(p.name()).append(": ").append(why.get()).append("; ");
            }
            throw new BackendUnavailableException("no backend available (" + skipped + ")");
        }
        BackendProvider p = provider(name);
        Optional<String> why = p.unavailableReason();
        if (why.isPresent()) {
            throw new BackendUnavailableException("backend " + name + " unavailable: " + why.get());
        }
        return p.open(options);
    }
}
