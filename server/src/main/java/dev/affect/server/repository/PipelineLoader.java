package dev.affect.server.repository;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.CheckpointFormatException;
import dev.affect.engine.io.CheckpointMismatchException;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.HeadOptions;
import dev.affect.engine.model.heads.Task;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds {@link ServedPipeline}s from checkpoints on one backend with one set of options. Each
 * checkpoint is checked for its kind before anything is built (a head file in the backbone slot, a VA
 * head in the AU slot), and every error names the file. A failed load closes whatever it had built.
 *
 * <p>Thread-safe (it holds only configuration); a load takes seconds and belongs off transport threads.
 */
public final class PipelineLoader {
    private final Backend backend;
    private final Ddamfn.Options options;
    private final HeadOptions headOptions;

    public PipelineLoader(Backend backend, Ddamfn.Options options) {
        this(backend, options, HeadOptions.defaults());
    }

    public PipelineLoader(Backend backend, Ddamfn.Options options, HeadOptions headOptions) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.options = Objects.requireNonNull(options, "options");
        this.headOptions = Objects.requireNonNull(headOptions, "headOptions");
    }

    public Backend backend() {
        return backend;
    }

    public Ddamfn.Options options() {
        return options;
    }

    public HeadOptions headOptions() {
        return headOptions;
    }

    /** Loads the pipeline a pipeline.json describes, with its description. */
    public ServedPipeline load(String name, PipelineConfig config) throws IOException {
        return load(name, config.files(), config.displayDescription());
    }

    /**
     * Loads a pipeline from checkpoint files. Every file must exist before anything is read.
     *
     * @throws MissingFileException   naming a file that does not exist
     * @throws InvalidInputException  naming a file of the wrong kind, task or shape, or a bad name
     * @throws IOException            when a file cannot be read
     */
    public ServedPipeline load(String name, PipelineFiles files, String description) throws IOException {
        PipelineRegistry.checkName(name, "name");
        requireFile(files.backbone(), "backbone");
        files.heads().forEach((task, file) -> requireFile(file, task.key() + " head"));
        Map<Task, Loader<Head>> heads = new EnumMap<>(Task.class);
        files.heads().forEach((task, file) -> heads.put(task, () -> readHead(file, task)));
        return assemble(name, () -> readBackbone(files.backbone()), heads, description, false);
    }

    /**
     * Builds a pipeline from state_dicts in memory (generated weights, tests). Errors name
     * "backbone" or "heads.&lt;task&gt;".
     */
    public ServedPipeline create(String name, StateDict backbone, Map<Task, StateDict> heads, String description,
            boolean demo) {
        Map<Task, Loader<Head>> loaders = new EnumMap<>(Task.class);
        heads.forEach((task, sd) -> loaders.put(task, () -> buildHead("heads." + task.key(), sd, task)));
        try {
            return assemble(name, () -> buildBackbone("backbone", backbone), loaders, description, demo);
        } catch (IOException e) {
            throw new IllegalStateException("no file was read", e); // unreachable: nothing here does I/O
        }
    }

    /**
     * {@code affect serve --model NAME=CHECKPOINT}: a backbone becomes a pipeline named {@code name}
     * with no heads, a head becomes a standalone model (Open Inference Protocol only).
     *
     * @return the kind the checkpoint was
     * @throws dev.affect.server.pipeline.NameTakenException when the name is loaded (nothing stays open)
     */
    public CheckpointKind loadInto(PipelineRegistry registry, String name, Path checkpoint) throws IOException {
        PipelineRegistry.checkName(name, "name");
        requireFile(checkpoint, "checkpoint of model '" + name + "'");
        String source = checkpoint.toString();
        return read(checkpoint, sd -> {
            CheckpointKind kind = CheckpointKind.of(sd, source);
            if (kind == CheckpointKind.BACKBONE) {
                Ddamfn backbone = buildBackbone(source, sd);
                ServedPipeline p;
                try {
                    p = new ServedPipeline(name, backbone, Map.of(), "loaded from " + source, false);
                } catch (RuntimeException e) {
                    backbone.close();
                    throw e;
                }
                try {
                    registry.register(p);
                } catch (RuntimeException e) {
                    p.retire();
                    throw e;
                }
            } else {
                Head head = buildHead(source, sd, null);
                try {
                    registry.registerHead(name, head);
                } catch (RuntimeException e) {
                    head.close();
                    throw e;
                }
            }
            return kind;
        });
    }

    private ServedPipeline assemble(String name, Loader<Ddamfn> backboneLoader, Map<Task, Loader<Head>> headLoaders,
            String description, boolean demo) throws IOException {
        PipelineRegistry.checkName(name, "name");
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Ddamfn backbone = backboneLoader.load();
            opened.add(backbone);
            Map<Task, Head> heads = new EnumMap<>(Task.class);
            for (Map.Entry<Task, Loader<Head>> e : headLoaders.entrySet()) {
                Head head = e.getValue().load();
                opened.add(head);
                heads.put(e.getKey(), head);
            }
            return new ServedPipeline(name, backbone, heads, description, demo);
        } catch (IOException | RuntimeException | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private Ddamfn readBackbone(Path file) throws IOException {
        return read(file, sd -> buildBackbone(file.toString(), sd));
    }

    private Head readHead(Path file, Task slot) throws IOException {
        return read(file, sd -> buildHead(file.toString(), sd, slot));
    }

    private Ddamfn buildBackbone(String source, StateDict sd) {
        if (CheckpointKind.of(sd, source) == CheckpointKind.HEAD) {
            throw new InvalidInputException(source, "holds a head (task layer '" + CheckpointKind.headKey(sd)
                    + "'), not a DDAMFN backbone");
        }
        try {
            return Ddamfn.create(sd, backend, options);
        } catch (InvalidInputException e) {
            throw naming(source, e);
        }
    }

    /** @param slot the task the head must answer, or null for any head */
    private Head buildHead(String source, StateDict sd, Task slot) {
        if (CheckpointKind.of(sd, source) == CheckpointKind.BACKBONE) {
            throw new InvalidInputException(source, "holds a DDAMFN backbone, not " + (slot == null ? "a head" : headOf(slot)));
        }
        String key = CheckpointKind.headKey(sd);
        if (slot != null && !slot.key().equals(key)) {
            String is = Task.forKey(key).map(PipelineLoader::headOf).orElse("a raw head (task layer '" + key + "')");
            throw new InvalidInputException(source, "holds " + is + ", given as the " + slot + " head");
        }
        try {
            return Head.load(sd, backend, headOptions);
        } catch (InvalidInputException e) {
            throw naming(source, e);
        }
    }

    /** "a VA head", "an AU head". */
    private static String headOf(Task task) {
        return (task == Task.VA ? "a " : "an ") + task + " head";
    }

    /** Reads a checkpoint whose tensors are freed once {@code use} has built what it keeps. */
    private static <T> T read(Path file, Function<StateDict, T> use) throws IOException {
        try {
            return CheckpointFiles.readAndRelease(file, use);
        } catch (NoSuchFileException e) {
            throw new MissingFileException(file, "vanished while loading");
        } catch (CheckpointFormatException e) {
            throw new InvalidInputException(file.toString(), e.detail(), e);
        }
    }

    private static void requireFile(Path file, String role) {
        if (!Files.isRegularFile(file)) {
            if (Files.isDirectory(file)) {
                throw new InvalidInputException(file.toString(), "is a folder, not a checkpoint file (" + role + ")");
            }
            throw new MissingFileException(file, role);
        }
    }

    /** The engine's error restated under the file's name (it names "checkpoint" or a state_dict key). */
    private static InvalidInputException naming(String source, InvalidInputException e) {
        if (e.field().equals(source)) {
            return e;
        }
        String reason = e.field().equals(CheckpointMismatchException.FIELD) ? e.reason() : e.getMessage();
        return new InvalidInputException(source, reason, e);
    }

    private static void closeAll(List<AutoCloseable> opened, Throwable failure) {
        for (AutoCloseable c : opened.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** One model to build; I/O may fail. */
    @FunctionalInterface
    private interface Loader<T> {
        T load() throws IOException;
    }
}
