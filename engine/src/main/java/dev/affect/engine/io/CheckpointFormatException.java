package dev.affect.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor file (torch checkpoint, safetensors, npy) is malformed or uses something this reader
 * deliberately does not support. The message always starts with the file, so one line in a log is
 * enough to know which file to look at.
 */
public class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String detail;

    public CheckpointFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
        this.detail = detail;
    }

    public CheckpointFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
        this.detail = detail;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** The message without the file name. */
    public String detail() {
        return detail;
    }
}
