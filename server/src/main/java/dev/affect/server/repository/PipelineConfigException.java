package dev.affect.server.repository;

import dev.affect.engine.InvalidInputException;
import java.nio.file.Path;

/**
 * A pipeline.json that cannot be used. One line naming the file and the field, e.g.
 * {@code models/x/pipeline.json: heads.foo: unknown task (expected va, expr or au)}.
 */
public final class PipelineConfigException extends InvalidInputException {
    private final transient Path file;

    public PipelineConfigException(Path file, String field, String message) {
        super(file.toString(), field + ": " + message);
        this.file = file;
    }

    public PipelineConfigException(Path file, String message, Throwable cause) {
        super(file.toString(), message, cause);
        this.file = file;
    }

    /** The pipeline.json at fault. */
    public Path file() {
        return file;
    }
}
