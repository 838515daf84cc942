package dev.affect.engine.data.cache;

import java.io.IOException;
import java.nio.file.Path;

/** A cache file that is corrupt, truncated or of another format; the message names the file. */
public final class EmbeddingCacheException extends IOException {
    private final transient Path file;

    public EmbeddingCacheException(Path file, String problem) {
        super("embedding cache file " + file + ": " + problem + " (delete it or recompute it)");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
