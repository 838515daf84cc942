package dev.affect.server.jobs;

import dev.affect.engine.InvalidInputException;
import dev.affect.server.repository.MissingFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders on the server that clients may name paths in (training data, backbone checkpoints).
 *
 * <p>A path is checked twice: lexically, after {@code ..} is folded away, before the file system is
 * touched (so a client cannot probe for files elsewhere), and again on its real path, with every
 * symbolic link followed (so a link inside a root cannot lead out of it).
 */
public final class DataRoots {
    private final List<Path> roots;

    private DataRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /**
     * The roots, each resolved to its real path.
     *
     * @throws IllegalArgumentException naming a root that is not an existing folder
     */
    public static DataRoots of(List<Path> folders) {
        List<Path> real = new ArrayList<>();
        for (Path f : folders) {
            if (!Files.isDirectory(f)) {
                throw new IllegalArgumentException("data root " + f + " is not an existing folder");
            }
            try {
                real.add(f.toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve data root " + f, e);
            }
        }
        return new DataRoots(real);
    }

    public List<Path> roots() {
        return roots;
    }

    public boolean isEmpty() {
        return roots.isEmpty();
    }

    /**
     * The real path of {@code raw}, a path a client gave in {@code field}; a relative one is taken
     * relative to the first root.
     *
     * @throws InvalidInputException when it is empty or not a path
     * @throws PathDeniedException   when it lies outside every root, or a link leads out of them
     * @throws MissingFileException  when it is inside a root but does not exist
     */
    public Path resolve(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidInputException(field, "required: a path inside the server's data roots " + roots);
        }
        if (roots.isEmpty()) {
            throw new PathDeniedException(field, "this server has no data root (start it with --data-root)");
        }
        Path given;
        try {
            given = Path.of(raw);
        } catch (InvalidPathException e) {
            throw new InvalidInputException(field, "not a path: " + e.getReason());
        }
        Path lexical = roots.getFirst().resolve(given).normalize();
        if (!inside(lexical)) {
            throw new PathDeniedException(field, "'" + raw + "' is outside the server's data roots");
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new MissingFileException(lexical, field);
        } catch (IOException e) {
            throw new PathDeniedException(field, "'" + raw + "' cannot be resolved: " + e.getMessage());
        }
        if (!inside(real)) {
            throw new PathDeniedException(field, "'" + raw + "' leads outside the server's data roots through a link");
        }
        return real;
    }

    private boolean inside(Path p) {
        for (Path root : roots) {
            if (p.startsWith(root)) {
                return true;
            }
        }
        return false;
    }
}
