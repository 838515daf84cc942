package dev.affect.server.schedule;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.Ddamfn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named models a server answers with; the first one registered is the default (an empty model
 * name in a request selects it).
 *
 * <p>Owns what is registered: {@link #close()} closes every model and then each distinct backend
 * they run on. Thread-safe; lookups see a consistent snapshot.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    private String defaultName;
    private boolean closed;

    /**
     * Checks that {@code name} can name a model: letters, digits, '.', '_', '-', at most 128.
     *
     * @throws InvalidInputException (field {@code model}) when it cannot
     */
    public static String checkName(String name) {
        return checkName(name, "model");
    }

    /** As {@link #checkName(String)}, naming {@code field} (an option, a config key) in the error. */
    public static String checkName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(field, "a model name must be 1-128 of [A-Za-z0-9._-] starting with a letter or"
                    + " digit, got '" + name + "'");
        }
        return name;
    }

    /**
     * Adds a model under {@code name}, taking ownership of it (and of its backend).
     *
     * @throws InvalidInputException (field {@code model}) a bad or already registered name
     */
    public synchronized ServedModel register(String name, Ddamfn model) {
        checkName(name);
        if (closed) {
            throw new IllegalStateException("model registry is closed");
        }
        if (models.containsKey(name)) {
            throw new InvalidInputException("model", "a model named '" + name + "' is already registered");
        }
        ServedModel served = new ServedModel(name, model);
        models.put(name, served);
        if (defaultName == null) {
            defaultName = name;
        }
        return served;
    }

    /**
     * The model called {@code name}, or the default model for an empty name.
     *
     * @throws ModelNotFoundException when no such model is loaded
     */
    public synchronized ServedModel resolve(String name) {
        String key = name == null || name.isEmpty() ? defaultName : name;
        ServedModel m = key == null ? null : models.get(key);
        if (m == null) {
            throw new ModelNotFoundException(key == null ? "no model is loaded"
                    : "model '" + key + "' is not loaded; loaded: " + String.join(", ", models.keySet()));
        }
        return m;
    }

    /** Every model, in registration order. */
    public synchronized List<ServedModel> list() {
        return List.copyOf(models.values());
    }

    /** The default model's name, or empty when none is registered. */
    public synchronized String defaultName() {
        return defaultName == null ? "" : defaultName;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Set<Backend> backends = Collections.newSetFromMap(new IdentityHashMap<>());
        List<RuntimeException> failures = new ArrayList<>();
        for (ServedModel m : models.values()) {
            backends.add(m.model().backend());
            try {
                m.model().close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (Backend b : backends) {
            try {
                b.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        models.clear();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
