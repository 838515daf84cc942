package dev.affect.server.repository;

import java.nio.file.Path;

/** A checkpoint or pipeline file that does not exist (gRPC NOT_FOUND); the message names it and who asked for it. */
public final class MissingFileException extends RuntimeException {
    private final transient Path file;

    public MissingFileException(Path file, String role) {
        super(file + ": no such file (" + role + ")");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
