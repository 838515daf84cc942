package dev.affect.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Copies native libraries shipped as class path resources (e.g. inside the {@code org.bytedeco:dnnl}
 * jar) to a per-user cache, because {@code System.load} needs a real file.
 *
 * <p>Files land in {@code <root>/<sha256 prefix of their identity>/} (jar entry CRC-32 and size, or
 * the content outside a jar), so a new library version gets a
 * new directory and a reused directory never holds stale files. Each file is written to a temporary
 * name and renamed with {@code ATOMIC_MOVE}: concurrent JVMs either see the complete file or none, and
 * a crashed extraction leaves only a temporary file behind.
 */
final class BundledLibraryCache {
    private static final int HASH_PREFIX_BYTES = 8;

    private final Path root;

    BundledLibraryCache(Path root) {
        this.root = root;
    }

    /** {@code $XDG_CACHE_HOME/affect/native}, else {@code ~/.cache/affect/native}. */
    static Path defaultRoot(Map<String, String> properties, Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(properties.getOrDefault("user.home", "."), ".cache");
        return base.resolve("affect").resolve("native");
    }

    Path root() {
        return root;
    }

    /**
     * Makes the named resources under {@code resourceDir} available as files, in the given order.
     *
     * @return the cached file of each name, in the order given
     * @throws IOException if a resource is missing or the cache cannot be written
     */
    List<Path> extract(ClassLoader loader, String resourceDir, List<String> fileNames) throws IOException {
        // First pass only reads: the common case is a cache hit, and then nothing is written.
        MessageDigest digest = sha256();
        List<Long> sizes = new ArrayList<>();
        for (String name : fileNames) {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            sizes.add(fingerprint(loader, resourceDir + name, digest));
        }
        byte[] hash = digest.digest();
        Path dir = root.resolve(HexFormat.of().formatHex(hash, 0, HASH_PREFIX_BYTES));
        Files.createDirectories(dir);

        List<Path> files = new ArrayList<>();
        for (int i = 0; i < fileNames.size(); i++) {
            Path target = dir.resolve(fileNames.get(i));
            if (!isComplete(target, sizes.get(i))) {
                writeAtomically(loader, resourceDir + fileNames.get(i), target, sizes.get(i));
            }
            files.add(target);
        }
        return files;
    }

    private static boolean isComplete(Path file, long size) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == size;
    }

    private static void writeAtomically(ClassLoader loader, String resource, Path target, long size)
            throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            try (InputStream in = open(loader, resource); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            if (Files.size(tmp) != size) {
                throw new IOException(resource + " changed while it was being extracted");
            }
            try {
                // rename(2) replaces atomically; a process that already mapped the old file keeps it
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cache directory " + target.getParent()
                        + " does not support atomic renames", e);
            } catch (IOException e) {
                if (!isComplete(target, size)) {
                    throw e;
                }
                // another JVM finished the same file first
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("class path resource " + resource + " not found");
        }
        return in;
    }

    /**
     * Feeds a resource's identity into the digest and returns its size. Inside a jar the entry's
     * CRC-32 and size from the zip directory identify it without inflating 90 MB on every start;
     * elsewhere (an exploded class path) the content itself is hashed.
     */
    private static long fingerprint(ClassLoader loader, String resource, MessageDigest digest) throws IOException {
        java.net.URL url = loader.getResource(resource);
        if (url == null) {
            throw new IOException("class path resource " + resource + " not found");
        }
        if (url.openConnection() instanceof java.net.JarURLConnection jar) {
            jar.setUseCaches(false);
            java.util.jar.JarEntry entry = jar.getJarEntry();
            if (entry.getCrc() >= 0 && entry.getSize() >= 0) {
                digest.update(java.nio.ByteBuffer.allocate(16).putLong(entry.getCrc()).putLong(entry.getSize()).array());
                return entry.getSize();
            }
        }
        try (InputStream in = open(loader, resource)) {
            return digestStream(in, digest);
        }
    }

    private static long digestStream(InputStream in, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK ships SHA-256", e);
        }
    }
}
