package dev.affect.cli.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id git gives a file's content: SHA-1 of {@code "blob <size>\0"} followed by the bytes. The
 * authors' repository records it for every file, so it verifies a download against the repository
 * itself rather than against a checksum someone copied.
 */
public final class GitBlobId {
    private GitBlobId() {
    }

    public static String of(Path file) throws IOException {
        MessageDigest sha1 = sha1();
        sha1.update(header(Files.size(file)));
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha1.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    public static String of(byte[] content) {
        MessageDigest sha1 = sha1();
        sha1.update(header(content.length));
        return HexFormat.of().formatHex(sha1.digest(content));
    }

    private static byte[] header(long size) {
        return ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
