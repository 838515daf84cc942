package dev.affect.server.pipeline;

import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded pipeline: a DDAMFN backbone and at most one head per task, under a name clients select.
 *
 * <p>Owns its backbone and heads. Users (a session, a queued frame, a unary request) hold it with
 * {@link #acquire()} / {@link #release()}; {@link #retire()} refuses new users and closes the models
 * once the last one has released, so an unload never frees memory a running batch still reads.
 */
public final class ServedPipeline {
    private static final System.Logger LOG = System.getLogger(ServedPipeline.class.getName());

    private final String name;
    private final Ddamfn backbone;
    private final Map<Task, Head> heads;
    private final Pipeline pipeline;
    private final String description;
    private final boolean demo;
    // users + 1 while not retired; reaching 0 closes the models
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    // the backbone and heads may be shared with pipelines derived by withHead
    private final SharedModels models;

    /**
     * @param heads one head per task (a raw head, whose key names no task, is not a pipeline head)
     * @param description where the weights came from, shown to clients
     * @param demo true for generated weights whose outputs mean nothing
     */
    public ServedPipeline(String name, Ddamfn backbone, Map<Task, ? extends Head> heads, String description, boolean demo) {
        this(name, backbone, heads, description, demo, new SharedModels());
    }

    private ServedPipeline(String name, Ddamfn backbone, Map<Task, ? extends Head> heads, String description, boolean demo,
            SharedModels models) {
        this.name = Objects.requireNonNull(name, "name");
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        EnumMap<Task, Head> byTask = new EnumMap<>(Task.class);
        heads.forEach((task, head) -> {
            if (head.task().orElse(null) != task) {
                throw new IllegalArgumentException("head '" + head.key() + "' is not a " + task + " head");
            }
            byTask.put(task, head);
        });
        this.heads = Collections.unmodifiableMap(byTask);
        this.pipeline = byTask.isEmpty() ? null : Pipeline.of(backbone, List.copyOf(byTask.values()));
        this.description = Objects.requireNonNull(description, "description");
        this.demo = demo;
        this.models = models;
        models.retain(backbone);
        this.heads.values().forEach(models::retain);
    }

    /**
     * A pipeline of the same name with {@code head} in place of this one's head for its task (or added):
     * it shares the backbone and the other heads, and takes ownership of {@code head}. Each shared
     * model stays open until every pipeline using it has closed, so this one can go on serving its
     * current users after the new one has replaced it.
     *
     * @throws IllegalArgumentException when the head answers no task or takes another embedding width
     */
    public ServedPipeline withHead(Head head, String newDescription) {
        Task task = head.task().orElseThrow(() -> new IllegalArgumentException("head '" + head.key()
                + "' answers no task"));
        if (head.inputSize() != backbone.embeddingSize()) {
            throw new IllegalArgumentException("head '" + head.key() + "' takes " + head.inputSize()
                    + "-d embeddings; the backbone gives " + backbone.embeddingSize());
        }
        EnumMap<Task, Head> next = new EnumMap<>(heads);
        next.put(task, head);
        return new ServedPipeline(name, backbone, next, newDescription, false, models);
    }

    public String name() {
        return name;
    }

    public Ddamfn backbone() {
        return backbone;
    }

    /** The heads by task, in task order. */
    public Map<Task, Head> heads() {
        return heads;
    }

    /** The tasks it has a head for, in task order. */
    public List<Task> tasks() {
        return List.copyOf(heads.keySet());
    }

    /** The engine pipeline over the heads; empty when the pipeline has no head (backbone only). */
    public Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    public String description() {
        return description;
    }

    public boolean demo() {
        return demo;
    }

    /** The backbone classifier's class names, in logit order. */
    public List<String> classNames() {
        return backbone.config().classNames();
    }

    public String backendName() {
        return backbone.backend().name();
    }

    /** Takes a reference for one user; false once the pipeline is retired (the user must not touch it). */
    public boolean acquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference taken with {@link #acquire()}. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            closeModels();
        }
    }

    /** References held: its users, plus one until it is retired (for tests and for reaping a replaced pipeline). */
    public int references() {
        return references.get();
    }

    /** True until {@link #retire()} has been called and every user has released. */
    public boolean isOpen() {
        return references.get() > 0;
    }

    /** Refuses new users; the models close when the last current user releases. Idempotent. */
    public void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    private void closeModels() {
        List<AutoCloseable> owned = new ArrayList<>(heads.values());
        owned.add(backbone);
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable m : owned) {
            try {
                models.release(m);
            } catch (Exception e) {
                failures.add(e);
            }
        }
        for (Exception e : failures) {
            LOG.log(System.Logger.Level.WARNING, "closing pipeline '" + name + "' failed", e);
        }
    }

    @Override
    public String toString() {
        return "pipeline '" + name + "' (" + heads.values().stream().map(Head::describe).toList() + ")";
    }
}
