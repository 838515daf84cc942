package dev.affect.cli.models;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Puts a published checkpoint into {@code <models>/<name>/}: download into {@code <file>.part}
 * (resumable), verify its git blob id, rename it into place atomically, then write
 * {@code pipeline.json}. The final file name only ever holds a complete, verified download.
 */
final class CheckpointInstaller {
    static final String PART = ".part";

    private final ResumableDownload download;
    private final PrintWriter out;

    CheckpointInstaller(ResumableDownload download, PrintWriter out) {
        this.download = download;
        this.out = out;
    }

    /** Installs {@code entry} from {@code baseUrl}; returns where the checkpoint is. */
    Path install(PublishedCheckpoint entry, String baseUrl, Path modelsDir, DownloadProgress progress) throws IOException {
        Path dir = modelsDir.resolve(entry.name());
        Path target = dir.resolve(entry.fileName());
        String url = entry.url(baseUrl);
        if (alreadyInstalled(entry, dir, target, url)) {
            return target;
        }
        Files.createDirectories(dir);
        Path part = dir.resolve(entry.fileName() + PART);
        ResumableDownload.Result got = download.fetch(URI.create(url), part, progress);
        String actual = GitBlobId.of(part);
        if (entry.blob().isPresent() && !entry.blob().get().equals(actual)) {
            Files.deleteIfExists(part);
            throw new IOException(entry.name() + ": downloaded " + got.size() + " bytes from " + url + " with git blob id "
                    + actual + ", expected " + entry.blob().get() + "; deleted it");
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        new PipelineFile(target.getFileName().toString(), url, actual).write(dir);
        out.println(entry.name() + ": " + target + " (" + got.size() + " bytes" + (got.resumed() ? ", resumed" : "") + "), "
                + verdict(entry, actual));
        return target;
    }

    /**
     * A target whose id is the catalogue's (or, with no catalogue id, the one pipeline.json
     * recorded at its download) is kept; anything else at that name is downloaded again.
     */
    private boolean alreadyInstalled(PublishedCheckpoint entry, Path dir, Path target, String url) throws IOException {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        String actual = GitBlobId.of(target);
        Optional<String> expected = entry.blob().or(() -> PipelineFile.read(dir).map(PipelineFile::blob));
        if (expected.isEmpty() || !expected.get().equals(actual)) {
            return false;
        }
        if (PipelineFile.read(dir).filter(p -> p.blob().equals(actual) && p.backbone().equals(entry.fileName())).isEmpty()) {
            new PipelineFile(entry.fileName(), url, actual).write(dir);
        }
        out.println(entry.name() + ": " + target + " is already there, " + verdict(entry, actual) + "; nothing to download");
        return true;
    }

    private static String verdict(PublishedCheckpoint entry, String actual) {
        return entry.blob().isPresent()
                ? "verified (git blob " + actual + ")"
                : "UNVERIFIED: git blob " + actual + " (the catalogue has no id for " + entry.path() + " to check it against)";
    }
}
