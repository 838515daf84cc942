package dev.affect.engine.data.cache;

import java.time.Duration;

/** Progress of computing embeddings, for a progress bar: called after each batch. */
@FunctionalInterface
public interface EmbeddingProgress {
    EmbeddingProgress NONE = (done, total, rate, eta) -> { };

    /**
     * @param done frames embedded so far in this run
     * @param total frames this run has to embed (reused frames not counted)
     * @param framesPerSecond the rate so far
     * @param eta the estimated time left at that rate ({@link Duration#ZERO} when done)
     */
    void update(long done, long total, double framesPerSecond, Duration eta);
}
