package dev.affect.server.repository;

import dev.affect.engine.InvalidInputException;
import dev.affect.server.pipeline.NameTakenException;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.ModelNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A folder of pipelines ({@code models/} by default): each subfolder holding a
 * {@link PipelineConfig#FILE_NAME} is a pipeline named after the folder. Loads them with one
 * {@link PipelineLoader}, which fixes the backend and options.
 *
 * <p>Thread-safe: it reads the folder afresh on every call, so pipelines added while the server runs
 * can be loaded by name.
 */
public final class ModelRepository {
    private static final System.Logger LOG = System.getLogger(ModelRepository.class.getName());

    /** Where the server looks when not told otherwise (relative to its working directory). */
    public static final Path DEFAULT_FOLDER = Path.of("models");

    private final Path folder;
    private final PipelineLoader loader;

    public ModelRepository(Path folder, PipelineLoader loader) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    public Path folder() {
        return folder;
    }

    public PipelineLoader loader() {
        return loader;
    }

    /** The pipelines in the folder, sorted by name; empty when the folder does not exist. */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return names;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder, Files::isDirectory)) {
            for (Path child : children) {
                if (Files.isRegularFile(child.resolve(PipelineConfig.FILE_NAME))) {
                    names.add(child.getFileName().toString());
                }
            }
        }
        names.sort(null);
        return names;
    }

    /**
     * Reads {@code <folder>/<name>/pipeline.json}.
     *
     * @throws ModelNotFoundException    when there is no such pipeline folder or it has no pipeline.json
     * @throws PipelineConfigException   when the pipeline.json is not valid
     */
    public PipelineConfig config(String name) throws IOException {
        PipelineRegistry.checkName(name, "name");
        Path file = folder.resolve(name).resolve(PipelineConfig.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ModelNotFoundException("no pipeline '" + name + "' in the model repository: " + file
                    + " does not exist" + available());
        }
        return PipelineConfig.read(file);
    }

    /** Loads one pipeline by name (not registered: the caller registers or closes it). */
    public ServedPipeline load(String name) throws IOException {
        return loader.load(name, config(name));
    }

    /**
     * Loads and registers every pipeline in the folder. A broken one is logged with its reason and
     * skipped, so one bad folder does not keep the server from starting.
     *
     * @return the names registered, in name order
     */
    public List<String> loadAll(PipelineRegistry registry) throws IOException {
        List<String> loaded = new ArrayList<>();
        for (String name : names()) {
            try {
                register(registry, load(name));
                loaded.add(name);
                LOG.log(System.Logger.Level.INFO, "loaded pipeline ''{0}'' from {1}", name, folder.resolve(name));
            } catch (InvalidInputException | MissingFileException | ModelNotFoundException | NameTakenException e) {
                LOG.log(System.Logger.Level.WARNING, "skipping pipeline ''{0}'': {1}", name, e.getMessage());
            } catch (IOException | RuntimeException e) {
                // not the folder's fault as far as we can tell: keep the stack trace
                LOG.log(System.Logger.Level.WARNING, "skipping pipeline '" + name + "': " + e, e);
            }
        }
        return loaded;
    }

    /** Registers, or retires (closing its models) when the registry refuses it. */
    static void register(PipelineRegistry registry, ServedPipeline pipeline) {
        try {
            registry.register(pipeline);
        } catch (RuntimeException e) {
            pipeline.retire();
            throw e;
        }
    }

    private String available() {
        try {
            List<String> names = names();
            return names.isEmpty() ? " (the repository " + folder + " has no pipelines)" : "; available: " + String.join(", ", names);
        } catch (IOException e) {
            return "";
        }
    }
}
