package dev.affect.engine.data.cache;

import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.io.AtomicFiles;
import dev.affect.engine.model.Backbone;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Embeddings of a frozen backbone for the videos of an ABAW dataset, cached on disk under
 * {@code <cacheDir>/<backboneHash>/<video>.emb}, one file per video, so that training heads never runs
 * the backbone twice over the same frames.
 *
 * <p>File format (little-endian): magic {@code AFFEMB\0\0}, u32 version (1), u32 frame count, u32 width
 * (512), u32 CRC32C of everything after the header, then the present-frame bitmap as
 * ceil(frames/64) u64 words (bit k-1 is frame k), zero padding to a 64-byte boundary, and frames × width
 * f32 (absent frames are zeros). A file of any other size, magic, version, width or checksum is refused.
 * Files are written atomically and read by memory-mapping.
 */
public final class EmbeddingCache {
    public static final int VERSION = 1;
    public static final int DEFAULT_BATCH = 32;
    static final byte[] MAGIC = {'A', 'F', 'F', 'E', 'M', 'B', 0, 0};
    static final int HEADER = 24;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What a run over several videos did. */
    public record Summary(int videos, long framesEmbedded, long framesReused, double seconds) {
        public String line() {
            return String.format(java.util.Locale.ROOT, "videos %d, frames embedded %d, frames reused %d, %.2f s",
                    videos, framesEmbedded, framesReused, seconds);
        }
    }

    private final Path dir;
    private final String backboneHash;
    private final Backbone backbone;
    private final AbawDataset dataset;
    private final FacePreprocessor preprocessor;
    private final int batch;
    private final AtomicLong framesEmbedded = new AtomicLong();

    /**
     * A cache for {@code backbone}, whose weights hash to {@code backboneHash} ({@link BackboneHash#of}),
     * under {@code cacheDir/backboneHash}. The backbone's embedding width must be 512.
     */
    public EmbeddingCache(Path cacheDir, String backboneHash, Backbone backbone, AbawDataset dataset,
            FacePreprocessor preprocessor, int batch) {
        if (!backboneHash.matches("[0-9a-f]{8,128}")) {
            throw new IllegalArgumentException("backbone hash must be lower-case hex, got '" + backboneHash + "'");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        this.dir = cacheDir.resolve(backboneHash);
        this.backboneHash = backboneHash;
        this.backbone = backbone;
        this.dataset = dataset;
        this.preprocessor = preprocessor;
        this.batch = batch;
    }

    /** The folder of this backbone's files: {@code cacheDir/backboneHash}. */
    public Path directory() {
        return dir;
    }

    public String backboneHash() {
        return backboneHash;
    }

    /** The cache file of a video, whether or not it exists. */
    public Path file(String video) {
        if (video.isEmpty() || video.contains("/") || video.contains("\\") || video.startsWith(".")) {
            throw new IllegalArgumentException("not a video name: '" + video + "'");
        }
        return dir.resolve(video + ".emb");
    }

    /** Frames run through the backbone by this instance so far (0 when everything came from disk). */
    public long framesEmbedded() {
        return framesEmbedded.get();
    }

    /** The video's embeddings: from its cache file when that is valid and current, else computed and written. */
    public VideoEmbeddings embeddingsFor(String video) throws IOException {
        return embeddingsFor(video, false, EmbeddingProgress.NONE);
    }

    /**
     * As {@link #embeddingsFor(String)}; a corrupt or truncated file is an {@link EmbeddingCacheException}
     * naming it unless {@code recomputeCorrupt}, when it is replaced.
     */
    public VideoEmbeddings embeddingsFor(String video, boolean recomputeCorrupt) throws IOException {
        return embeddingsFor(video, recomputeCorrupt, EmbeddingProgress.NONE);
    }

    private VideoEmbeddings embeddingsFor(String video, boolean recomputeCorrupt, EmbeddingProgress progress)
            throws IOException {
        BitSet images = dataset.framesWithImage(video);
        int frames = frameCount(video, images);
        VideoEmbeddings cached = cachedOrNull(video, recomputeCorrupt);
        if (cached != null && cached.frames() == frames && cached.present().equals(images)) {
            return cached;
        }
        return compute(video, frames, images, new Counter(images.cardinality(), progress));
    }

    /**
     * Makes sure every video has a current cache file, reporting progress over the frames to embed, and
     * says how many frames were embedded and how many reused.
     */
    public Summary embedAll(List<String> videos, boolean recomputeCorrupt, EmbeddingProgress progress) throws IOException {
        long start = System.nanoTime();
        long reused = 0;
        List<String> missing = new ArrayList<>();
        List<BitSet> missingImages = new ArrayList<>();
        long total = 0;
        for (String video : videos) {
            BitSet images = dataset.framesWithImage(video);
            VideoEmbeddings cached = cachedOrNull(video, recomputeCorrupt);
            if (cached != null && cached.frames() == frameCount(video, images) && cached.present().equals(images)) {
                reused += cached.presentCount();
            } else {
                missing.add(video);
                missingImages.add(images);
                total += images.cardinality();
            }
        }
        Counter counter = new Counter(total, progress);
        for (int i = 0; i < missing.size(); i++) {
            String video = missing.get(i);
            compute(video, frameCount(video, missingImages.get(i)), missingImages.get(i), counter);
        }
        return new Summary(videos.size(), counter.done, reused, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Reads a video's cache file, or null when there is none.
     *
     * @throws EmbeddingCacheException naming the file when it is corrupt or truncated
     */
    public VideoEmbeddings read(String video) throws IOException {
        Path file = file(video);
        MemorySegment s;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER) {
                throw new EmbeddingCacheException(file, "truncated: " + size + " bytes, shorter than the header");
            }
            s = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
        } catch (NoSuchFileException e) {
            return null;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                throw new EmbeddingCacheException(file, "not an embedding cache file (bad magic)");
            }
        }
        int version = s.get(I32, 8);
        if (version != VERSION) {
            throw new EmbeddingCacheException(file, "format version " + version + ", this build reads " + VERSION);
        }
        int frames = s.get(I32, 12);
        int width = s.get(I32, 16);
        if (frames < 0 || width != backbone.embeddingSize()) {
            throw new EmbeddingCacheException(file, "bad header: " + frames + " frames of width " + width
                    + " (expected width " + backbone.embeddingSize() + ")");
        }
        long expected = dataOffset(frames) + (long) frames * width * Float.BYTES;
        if (s.byteSize() != expected) {
            throw new EmbeddingCacheException(file, (s.byteSize() < expected ? "truncated: " : "wrong size: ")
                    + s.byteSize() + " bytes, " + frames + " frames need " + expected);
        }
        CRC32C crc = new CRC32C();
        crc.update(s.asSlice(HEADER).asByteBuffer());
        if ((int) crc.getValue() != s.get(I32, 20)) {
            throw new EmbeddingCacheException(file, "checksum mismatch (corrupt)");
        }
        int words = words(frames);
        long[] bits = new long[words];
        for (int w = 0; w < words; w++) {
            bits[w] = s.get(I64, HEADER + 8L * w);
        }
        BitSet stored = BitSet.valueOf(bits);
        if (stored.length() > frames) {
            throw new EmbeddingCacheException(file, "bitmap marks frames past the frame count");
        }
        BitSet present = new BitSet();
        stored.stream().forEach(b -> present.set(b + 1));
        return new VideoEmbeddings(video, frames, width, present, s.asSlice(dataOffset(frames)));
    }

    private VideoEmbeddings cachedOrNull(String video, boolean recomputeCorrupt) throws IOException {
        try {
            return read(video);
        } catch (EmbeddingCacheException e) {
            if (!recomputeCorrupt) {
                throw e;
            }
            return null;
        }
    }

    /** The video's frame count: its longest annotation in any task and split, at least its last image. */
    private int frameCount(String video, BitSet images) throws IOException {
        int frames = Math.max(0, images.length() - 1);
        for (AbawTask task : AbawTask.values()) {
            for (AbawSplit split : AbawSplit.values()) {
                if (Files.isRegularFile(dataset.annotationFolder(task, split).resolve(video + ".txt"))) {
                    frames = Math.max(frames, dataset.annotations(task, split, video).frames());
                }
            }
        }
        return frames;
    }

    private VideoEmbeddings compute(String video, int frames, BitSet images, Counter counter) throws IOException {
        int width = backbone.embeddingSize();
        int[] order = images.stream().filter(k -> k >= 1 && k <= frames).toArray();
        BitSet present = new BitSet();
        for (int k : order) {
            present.set(k);
        }
        long offset = dataOffset(frames);
        ByteBuffer content = ByteBuffer.allocate(Math.toIntExact(offset + (long) frames * width * Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        try (TensorScope scope = new TensorScope()) {
            for (int start = 0; start < order.length; start += batch) {
                int n = Math.min(batch, order.length - start);
                Tensor clip = scope.allocate(DType.F32, Shape.of(n, 3, 112, 112));
                for (int i = 0; i < n; i++) {
                    preprocessor.writeInto(clip, i, dataset.imagePath(video, order[start + i]));
                }
                Tensor out = scope.allocate(DType.F32, Shape.of(n, width));
                backbone.embed(clip, out);
                float[] values = out.toFloatArray();
                for (int i = 0; i < n; i++) {
                    int base = Math.toIntExact(offset + (long) (order[start + i] - 1) * width * Float.BYTES);
                    for (int j = 0; j < width; j++) {
                        content.putFloat(base + j * Float.BYTES, values[i * width + j]);
                    }
                }
                framesEmbedded.addAndGet(n);
                counter.add(n);
            }
        }
        content.put(0, MAGIC);
        content.putInt(8, VERSION).putInt(12, frames).putInt(16, width);
        long[] bits = new long[words(frames)];
        long[] packed = present.get(1, frames + 1).toLongArray();
        System.arraycopy(packed, 0, bits, 0, packed.length);
        for (int w = 0; w < bits.length; w++) {
            content.putLong(HEADER + 8 * w, bits[w]);
        }
        CRC32C crc = new CRC32C();
        crc.update(content.slice(HEADER, content.capacity() - HEADER));
        content.putInt(20, (int) crc.getValue());
        Files.createDirectories(dir);
        AtomicFiles.write(file(video), ch -> AtomicFiles.writeFully(ch, content.rewind()));
        VideoEmbeddings written = read(video);
        if (written == null) {
            throw new EmbeddingCacheException(file(video), "vanished right after it was written");
        }
        return written;
    }

    private static int words(int frames) {
        return (frames + 63) / 64;
    }

    static long dataOffset(int frames) {
        long end = HEADER + 8L * words(frames);
        return (end + 63) / 64 * 64;
    }

    /** Frames done over a run, reported to the progress callback. */
    private static final class Counter {
        private final long total;
        private final EmbeddingProgress progress;
        private final long start = System.nanoTime();
        private long done;

        Counter(long total, EmbeddingProgress progress) {
            this.total = total;
            this.progress = progress;
        }

        void add(long n) {
            done += n;
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            double rate = done / seconds;
            long left = Math.max(0, total - done);
            Duration eta = left == 0 || rate <= 0 ? Duration.ZERO : Duration.ofMillis((long) (left / rate * 1000));
            progress.update(done, total, rate, eta);
        }
    }
}
