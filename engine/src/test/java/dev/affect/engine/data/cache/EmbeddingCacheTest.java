package dev.affect.engine.data.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    private static final long SEED = 20240611L;
    private static Backend backend;
    private static Ddamfn model;
    private static AbawDataset dataset;
    private static List<String> videos;

    @TempDir
    static Path data;

    @BeforeAll
    static void setUp() throws IOException {
        SyntheticAbaw.write(data.resolve("abaw"), 2, 10, 3);
        dataset = AbawDataset.open(data.resolve("abaw"));
        TreeSet<String> all = new TreeSet<>();
        for (AbawTask t : AbawTask.values()) {
            for (AbawSplit s : AbawSplit.values()) {
                all.addAll(dataset.videos(t, s));
            }
        }
        videos = List.copyOf(all);
        backend = Backends.open("reference");
        model = Ddamfn.create(DemoWeights.ddamfn(SEED), backend, Ddamfn.Options.serving().withWorkers(1));
    }

    @AfterAll
    static void tearDown() {
        model.close();
        backend.close();
    }

    private static EmbeddingCache cache(Path dir) {
        return new EmbeddingCache(dir, BackboneHash.of(model.parameters()), model, dataset,
                new FacePreprocessor(ImageDecoder.best()), EmbeddingCache.DEFAULT_BATCH);
    }

    @Test
    void cachedRowsEqualADirectEmbedAndASecondRunReusesThem(@TempDir Path dir) throws IOException {
        assertEquals(2, videos.size());
        EmbeddingCache first = cache(dir);
        List<long[]> progress = new ArrayList<>();
        EmbeddingCache.Summary s = first.embedAll(videos, false, (done, total, rate, eta) -> progress.add(new long[] {done, total}));
        long images = 0;
        for (String v : videos) {
            images += dataset.framesWithImage(v).cardinality();
        }
        assertTrue(images > 0);
        assertEquals(images, s.framesEmbedded());
        assertEquals(0, s.framesReused());
        assertEquals(images, first.framesEmbedded());
        assertArrayEquals(new long[] {images, images}, progress.getLast());

        for (String v : videos) {
            VideoEmbeddings e = first.embeddingsFor(v);
            BitSet present = dataset.framesWithImage(v);
            assertEquals(present, e.present());
            int[] frames = present.stream().toArray();
            Tensor clip = Tensor.zeros(Shape.of(frames.length, 3, 112, 112));
            FacePreprocessor pre = new FacePreprocessor(ImageDecoder.best());
            for (int i = 0; i < frames.length; i++) {
                pre.writeInto(clip, i, dataset.imagePath(v, frames[i]));
            }
            Tensor direct = Tensor.zeros(DType.F32, Shape.of(frames.length, 512));
            model.embed(clip, direct);
            float[] want = direct.toFloatArray();
            Tensor into = Tensor.zeros(DType.F32, Shape.of(frames.length, 512));
            for (int i = 0; i < frames.length; i++) {
                float[] row = new float[512];
                System.arraycopy(want, i * 512, row, 0, 512);
                assertArrayEquals(row, e.row(frames[i]), v + " frame " + frames[i]);
                e.copyInto(into, i, frames[i]);
            }
            assertArrayEquals(want, into.toFloatArray());
            assertEquals(Shape.of(e.frames(), 512), e.tensor().shape());
        }
        assertEquals(images, first.framesEmbedded(), "reading back embeds nothing");

        EmbeddingCache second = cache(dir);
        EmbeddingCache.Summary again = second.embedAll(videos, false, EmbeddingProgress.NONE);
        assertEquals(0, again.framesEmbedded());
        assertEquals(images, again.framesReused());
        for (String v : videos) {
            second.embeddingsFor(v);
        }
        assertEquals(0, second.framesEmbedded());
    }

    @Test
    void anotherBackboneSeedGivesAnotherHashAndDirectory(@TempDir Path dir) {
        String hash = BackboneHash.of(model.parameters());
        assertEquals(64, hash.length());
        try (Ddamfn same = Ddamfn.create(DemoWeights.ddamfn(SEED), backend, Ddamfn.Options.serving().withWorkers(1));
             Ddamfn other = Ddamfn.create(DemoWeights.ddamfn(SEED + 1), backend, Ddamfn.Options.serving().withWorkers(1))) {
            assertEquals(hash, BackboneHash.of(same.parameters()));
            String otherHash = BackboneHash.of(other.parameters());
            assertNotEquals(hash, otherHash);
            EmbeddingCache a = cache(dir);
            EmbeddingCache b = new EmbeddingCache(dir, otherHash, other, dataset,
                    new FacePreprocessor(ImageDecoder.best()), 4);
            assertNotEquals(a.directory(), b.directory());
            assertEquals(dir.resolve(otherHash), b.directory());
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingItAndRecomputedWhenAsked(@TempDir Path dir) throws IOException {
        String video = videos.getFirst();
        EmbeddingCache cache = cache(dir);
        VideoEmbeddings good = cache.embeddingsFor(video);
        int frame = good.present().nextSetBit(0);
        float[] row = good.row(frame);
        Path file = cache.file(video);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        EmbeddingCache fresh = cache(dir);
        EmbeddingCacheException e = assertThrows(EmbeddingCacheException.class, () -> fresh.embeddingsFor(video));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(0, fresh.framesEmbedded());

        VideoEmbeddings again = fresh.embeddingsFor(video, true);
        assertArrayEquals(row, again.row(frame));
        assertEquals(good.presentCount(), fresh.framesEmbedded());
    }

    @Test
    void aCorruptByteFailsTheChecksum(@TempDir Path dir) throws IOException {
        String video = videos.getLast();
        EmbeddingCache cache = cache(dir);
        cache.embeddingsFor(video);
        Path file = cache.file(video);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 3);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            ch.write(b.rewind(), ch.size() - 3);
        }
        EmbeddingCacheException e = assertThrows(EmbeddingCacheException.class, () -> cache(dir).read(video));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }
}
