package dev.affect.server.repository;

import dev.affect.engine.model.heads.Task;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The checkpoints of one pipeline: a DDAMFN backbone and at most one head per task.
 *
 * @param backbone the DDAMFN checkpoint (.pth or .safetensors)
 * @param heads    head checkpoints by the task slot they fill, in task order
 */
public record PipelineFiles(Path backbone, Map<Task, Path> heads) {
    public PipelineFiles {
        Objects.requireNonNull(backbone, "backbone");
        EnumMap<Task, Path> byTask = new EnumMap<>(Task.class);
        heads.forEach((task, path) -> byTask.put(task, Objects.requireNonNull(path, task.key())));
        heads = Collections.unmodifiableMap(byTask);
    }

    /** A backbone without heads. */
    public static PipelineFiles backboneOnly(Path backbone) {
        return new PipelineFiles(backbone, Map.of());
    }

    /** "backbone ddamfn.pth, va va.pth, au au.pth": where a pipeline came from, for its description. */
    public String describe() {
        StringBuilder b = new StringBuilder("backbone ").append(backbone);
        heads.forEach((task, path) -> b.append(", ").append(task.key()).append(' ').append(path));
        return b.toString();
    }
}
