package dev.affect.engine.training.data;

import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.cache.EmbeddingCache;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;

/** A small synthetic ABAW set with a {@link PooledBackbone} embedding cache, for data and loop tests. */
public record SynthSet(AbawDataset dataset, EmbeddingCache cache) {
    /** The pooled backbone's cache key (any fixed hex string: it has no weights to hash). */
    public static final String HASH = "00000000000000000000000000000000000000000000000000000000000000aa";

    public static SynthSet create(Path dir, int videos, int frames, long seed) throws IOException {
        SyntheticAbaw.write(dir.resolve("abaw"), videos, frames, seed);
        AbawDataset dataset = AbawDataset.open(dir.resolve("abaw"));
        EmbeddingCache cache = new EmbeddingCache(dir.resolve("cache"), HASH, new PooledBackbone(), dataset,
                new FacePreprocessor(ImageDecoder.best()), 32);
        return new SynthSet(dataset, cache);
    }
}
