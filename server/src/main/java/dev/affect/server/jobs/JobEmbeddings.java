package dev.affect.server.jobs;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.cache.BackboneHash;
import dev.affect.engine.data.cache.EmbeddingCache;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.AtomicFiles;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.training.run.RunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The backbone's embeddings of a job's data, cached on disk under the jobs folder:
 * {@code <folder>/<data root digest>/<backbone hash>/<video>.emb}. The data root's digest keeps two
 * roots whose videos share names apart; {@code data-root.txt} beside it says which root it is.
 */
public final class JobEmbeddings {
    /** The cache's folder inside the jobs folder (not a job: it holds no job.json). */
    public static final String FOLDER = ".embeddings";
    private static final String ROOT_NOTE = "data-root.txt";
    /** The cache embeds 32 frames at a time; a video's last, shorter batch runs padded in the 8 or 32 bucket. */
    private static final BatchBuckets BUCKETS = BatchBuckets.of(8, EmbeddingCache.DEFAULT_BATCH);

    private final Path folder;
    private final Supplier<Backend> backend;

    /** @param backend opens the backend the backbone runs on (closed when the job ends) */
    public JobEmbeddings(Path folder, Supplier<Backend> backend) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** A job's cache, its backbone loaded and open until {@link Open#close()}. */
    public static final class Open implements AutoCloseable {
        private final Backend backend;
        private final Ddamfn backbone;
        private final EmbeddingCache cache;

        private Open(Backend backend, Ddamfn backbone, EmbeddingCache cache) {
            this.backend = backend;
            this.backbone = backbone;
            this.cache = cache;
        }

        public EmbeddingCache cache() {
            return cache;
        }

        @Override
        public void close() {
            try {
                backbone.close();
            } finally {
                backend.close();
            }
        }
    }

    /**
     * Loads the backbone and embeds every video of the run's training and validation splits that is
     * not cached yet (a corrupt cache file is recomputed). Checks for a stop between batches.
     *
     * @param dataRoot the folder {@code dataset} was opened on
     *
     * @throws JobCancelledException when the job is asked to stop while embedding
     */
    public Open open(Path checkpoint, Path dataRoot, AbawDataset dataset, RunConfig config, JobContext context) throws IOException {
        Backend b = backend.get();
        Ddamfn backbone = null;
        try {
            backbone = Ddamfn.load(checkpoint, b, Ddamfn.Options.serving().withBuckets(BUCKETS));
            EmbeddingCache cache = new EmbeddingCache(rootFolder(dataRoot), BackboneHash.of(backbone.parameters()),
                    backbone, dataset, new FacePreprocessor(ImageDecoder.best()), EmbeddingCache.DEFAULT_BATCH);
            TreeSet<String> videos = new TreeSet<>(dataset.videos(config.task(), AbawSplit.TRAIN));
            videos.addAll(dataset.videos(config.task(), config.validation()));
            cache.embedAll(List.copyOf(videos), true, (done, total, rate, eta) -> context.checkStop());
            return new Open(b, backbone, cache);
        } catch (IOException | RuntimeException | Error e) {
            if (backbone != null) {
                backbone.close();
            }
            b.close();
            throw e;
        }
    }

    /** The data root's own folder in the cache, named by a digest of its path. */
    private Path rootFolder(Path dataRoot) throws IOException {
        String path = dataRoot.toAbsolutePath().normalize().toString();
        Path dir = Files.createDirectories(folder.resolve(digest(path)));
        Path note = dir.resolve(ROOT_NOTE);
        if (!Files.exists(note)) {
            AtomicFiles.write(note, (path + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return dir;
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
