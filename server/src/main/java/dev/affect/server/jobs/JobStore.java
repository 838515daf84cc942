package dev.affect.server.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jobs on disk: one folder per job under the jobs folder, holding {@code job.json} (spec and status,
 * replaced atomically on every change), {@code run/}, the runner's checkpoints, and for a job on
 * uploaded frames {@code data/}, its ABAW root. Uploads are written under {@code .upload-*} folders
 * in the jobs folder (same file system, so moving one into a job's folder is one rename).
 */
public final class JobStore {
    private static final System.Logger LOG = System.getLogger(JobStore.class.getName());
    public static final String JOB_FILE = "job.json";
    public static final String RUN_DIR = "run";
    public static final String DATA_DIR = "data";
    private static final String STAGING_PREFIX = ".upload-";

    // unknown fields are tolerated so that a newer server's job.json still reads
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path folder;

    public JobStore(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder");
    }

    public Path folder() {
        return folder;
    }

    /** The job's run folder (created on demand). */
    public Path runDir(String id) throws IOException {
        return Files.createDirectories(folder.resolve(id).resolve(RUN_DIR));
    }

    /** Where a job's uploaded data root lives (absolute, so the spec stored with the job stays valid). */
    public Path dataDir(String id) {
        return folder.toAbsolutePath().resolve(id).resolve(DATA_DIR);
    }

    /** A new, empty folder to write an upload in before it becomes a job's {@link #dataDir}. */
    public Path newStaging() throws IOException {
        Files.createDirectories(folder);
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return Files.createDirectory(folder.resolve(STAGING_PREFIX + HexFormat.of().formatHex(b)));
    }

    /** Deletes the upload folders a previous server left behind (uploads it never finished); returns how many. */
    public int discardStaging() throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder, STAGING_PREFIX + "*")) {
            for (Path dir : dirs) {
                AbawUpload.deleteTree(dir);
                n++;
            }
        }
        return n;
    }

    /** Deletes a job's folder, if any, logging instead of failing (used when creating the job failed). */
    void discard(String id) {
        try {
            AbawUpload.deleteTree(folder.resolve(id));
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the folder of job " + id + ": " + e.getMessage());
        }
    }

    /** Writes the job's job.json atomically (creating its folder). */
    public void save(JobRecord job) {
        try {
            Path dir = Files.createDirectories(folder.resolve(job.id()));
            AtomicFiles.write(dir.resolve(JOB_FILE), JSON.writeValueAsBytes(job));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save job " + job.id() + " in " + folder, e);
        }
    }

    /** Every job on disk; a folder whose job.json cannot be read is logged and skipped. */
    public List<JobRecord> loadAll() throws IOException {
        List<JobRecord> jobs = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return jobs;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder, Files::isDirectory)) {
            for (Path dir : dirs) {
                Path file = dir.resolve(JOB_FILE);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    JobRecord job = JSON.readValue(file.toFile(), JobRecord.class);
                    if (!job.id().equals(dir.getFileName().toString())) {
                        throw new IOException("its id '" + job.id() + "' is not its folder's name");
                    }
                    jobs.add(job);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping job folder " + dir + ": " + e.getMessage());
                }
            }
        }
        return jobs;
    }
}
