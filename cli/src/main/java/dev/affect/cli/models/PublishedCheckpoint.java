package dev.affect.cli.models;

import java.util.Optional;

/**
 * One checkpoint the DDAMFN authors publish in their repository.
 *
 * @param name    what {@code affect models pull} calls it, also its folder under the models dir
 * @param dataset what it was trained on, for people
 * @param path    its path in the repository (unencoded, e.g. {@code DDAMFN++/checkpoints_ver2.0/x.pth})
 * @param classes the number of expression classes (fc rows)
 * @param blob    the git blob id the repository records for it, when known; without it a download
 *                can only be reported with its computed id, unverified
 */
public record PublishedCheckpoint(String name, String dataset, String path, int classes, Optional<String> blob) {

    public PublishedCheckpoint {
        if (name.isBlank() || path.isBlank() || classes < 1) {
            throw new IllegalArgumentException("a catalogue entry needs a name, a path and a class count");
        }
        blob = blob.map(b -> b.toLowerCase(java.util.Locale.ROOT));
    }

    /** The file's name, the last path segment. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** base + "/" + the path with each segment percent-encoded ({@code ++} becomes {@code %2B%2B}). */
    public String url(String base) {
        StringBuilder url = new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        for (String segment : path.split("/")) {
            url.append('/').append(encode(segment));
        }
        return url.toString();
    }

    private static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
