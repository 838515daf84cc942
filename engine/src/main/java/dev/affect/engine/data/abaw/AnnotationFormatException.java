package dev.affect.engine.data.abaw;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An annotation file is malformed: wrong header, wrong field count, not a number, or a value out of
 * range. The message is {@code <file>:<line>: <detail>}, so one line says where to look. Malformed
 * lines are never skipped: a silently shorter file would shift every later frame's label.
 */
public class AnnotationFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String detail;

    public AnnotationFormatException(Path file, int line, String detail) {
        super(file + ":" + line + ": " + detail);
        this.file = file;
        this.line = line;
        this.detail = detail;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** The 1-based line number (1 is the header). */
    public int line() {
        return line;
    }

    /** The message without file and line. */
    public String detail() {
        return detail;
    }
}
