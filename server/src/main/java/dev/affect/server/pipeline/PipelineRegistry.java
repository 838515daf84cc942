package dev.affect.server.pipeline;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Head;
import dev.affect.server.schedule.ModelNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The pipelines a server answers with, and standalone heads served only through the Open Inference
 * Protocol. The first pipeline registered is the default (an empty name selects it).
 *
 * <p>Thread-safe. Unloading retires a pipeline: new users are refused at once, its models close
 * when the last user releases (see {@link ServedPipeline}). Listeners hear of every unload, so
 * sessions on the pipeline can be ended and announced.
 */
public final class PipelineRegistry implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Map<String, ServedPipeline> pipelines = new LinkedHashMap<>();
    private final Map<String, Head> standaloneHeads = new LinkedHashMap<>();
    private final List<Consumer<ServedPipeline>> unloadListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<ServedPipeline, ServedPipeline>> replaceListeners = new CopyOnWriteArrayList<>();
    private String defaultName;
    private boolean closed;

    /**
     * Checks that {@code name} can name a pipeline or model: letters, digits, '.', '_', '-', at most
     * 128, starting with a letter or digit.
     *
     * @throws InvalidInputException naming {@code field} when it cannot
     */
    public static String checkName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(field, "a model name must be 1-128 of [A-Za-z0-9._-] starting with a letter or"
                    + " digit, got '" + name + "'");
        }
        return name;
    }

    /**
     * Adds a pipeline, taking ownership of it.
     *
     * @throws NameTakenException when a pipeline or model of that name is loaded
     */
    public synchronized ServedPipeline register(ServedPipeline pipeline) {
        checkName(pipeline.name(), "model");
        requireOpen();
        if (taken(pipeline.name())) {
            throw new NameTakenException("a model named '" + pipeline.name() + "' is already loaded");
        }
        pipelines.put(pipeline.name(), pipeline);
        if (defaultName == null) {
            defaultName = pipeline.name();
        }
        return pipeline;
    }

    /** Adds a head served on its own (Open Inference Protocol only), taking ownership of it. */
    public synchronized void registerHead(String name, Head head) {
        checkName(name, "model");
        requireOpen();
        if (taken(name)) {
            throw new NameTakenException("a model named '" + name + "' is already loaded");
        }
        standaloneHeads.put(name, Objects.requireNonNull(head, "head"));
    }

    /**
     * The pipeline called {@code name}, or the default one for an empty name.
     *
     * @throws ModelNotFoundException when no such pipeline is loaded
     */
    public synchronized ServedPipeline resolve(String name) {
        String key = name == null || name.isEmpty() ? defaultName : name;
        ServedPipeline p = key == null ? null : pipelines.get(key);
        if (p == null) {
            throw new ModelNotFoundException(key == null ? "no pipeline is loaded"
                    : "pipeline '" + key + "' is not loaded; loaded: " + String.join(", ", pipelines.keySet()));
        }
        return p;
    }

    /** Every pipeline, in registration order. */
    public synchronized List<ServedPipeline> list() {
        return List.copyOf(pipelines.values());
    }

    /** The default pipeline's name, or empty when none is loaded. */
    public synchronized String defaultName() {
        return defaultName == null ? "" : defaultName;
    }

    /** Every Open Inference Protocol model: each pipeline's backbone and heads, then standalone heads. */
    public synchronized List<InferenceModel> inferenceModels() {
        List<InferenceModel> out = new ArrayList<>();
        for (ServedPipeline p : pipelines.values()) {
            out.add(new InferenceModel.BackboneModel(p.name(), p.backbone(), p));
            p.heads().values().forEach(h -> out.add(new InferenceModel.HeadModel(p.name() + "." + h.key(), h, p)));
        }
        standaloneHeads.forEach((name, head) -> out.add(new InferenceModel.HeadModel(name, head, null)));
        return out;
    }

    /** The Open Inference Protocol model of that name. */
    public synchronized Optional<InferenceModel> inferenceModel(String name) {
        return inferenceModels().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Called with each pipeline as it is unloaded (before its models close). */
    public void onUnload(Consumer<ServedPipeline> listener) {
        unloadListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unloads a pipeline or a standalone head.
     *
     * @throws ModelNotFoundException when nothing of that name is loaded
     */
    public void unload(String name) {
        ServedPipeline removed;
        synchronized (this) {
            Head head = standaloneHeads.remove(name);
            if (head != null) {
                head.close();
                return;
            }
            removed = pipelines.remove(name);
            if (removed == null) {
                throw new ModelNotFoundException("model '" + name + "' is not loaded");
            }
            if (name.equals(defaultName)) {
                defaultName = pipelines.isEmpty() ? null : pipelines.keySet().iterator().next();
            }
        }
        unloadListeners.forEach(l -> l.accept(removed));
        removed.retire();
    }

    /** Called with the old and the new pipeline after each {@link #replace}. */
    public void onReplace(BiConsumer<ServedPipeline, ServedPipeline> listener) {
        replaceListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Serves, under the same name, a pipeline derived from the loaded one (e.g. with a promoted head):
     * requests and sessions from now on get the new one; users of the old one (open sessions,
     * in-flight frames) keep it until they end. The old one is retired, not unloaded: its sessions
     * are not ended and unload listeners are not called.
     *
     * @param name   the pipeline, or empty for the default one
     * @param derive builds the new pipeline from the old one; called under the registry's lock, so quick
     * @return the new pipeline
     * @throws ModelNotFoundException when no such pipeline is loaded
     */
    public ServedPipeline replace(String name, UnaryOperator<ServedPipeline> derive) {
        ServedPipeline old;
        ServedPipeline next;
        synchronized (this) {
            requireOpen();
            old = resolve(name);
            next = Objects.requireNonNull(derive.apply(old), "derived pipeline");
            if (!next.name().equals(old.name())) {
                throw new IllegalArgumentException("a replacement must keep the name '" + old.name() + "'");
            }
            pipelines.put(old.name(), next);
        }
        replaceListeners.forEach(l -> l.accept(old, next));
        old.retire();
        return next;
    }

    private boolean taken(String name) {
        return pipelines.containsKey(name) || standaloneHeads.containsKey(name)
                || inferenceModels().stream().anyMatch(m -> m.name().equals(name));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("pipeline registry is closed");
        }
    }

    /** Retires every pipeline and closes standalone heads. Backends are the caller's to close. Idempotent. */
    @Override
    public void close() {
        List<ServedPipeline> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(pipelines.values());
            pipelines.clear();
            standaloneHeads.values().forEach(Head::close);
            standaloneHeads.clear();
        }
        all.forEach(ServedPipeline::retire);
    }
}
