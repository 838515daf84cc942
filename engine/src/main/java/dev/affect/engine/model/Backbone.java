package dev.affect.engine.model;

import dev.affect.engine.tensor.Tensor;

/**
 * A per-frame feature extractor that temporal heads sit on: normalised face crops in, one
 * embedding per frame out. Thread-safe; implementations batch internally.
 */
public interface Backbone extends AutoCloseable {

    /** The width of one embedding (512 for DDAMFN). */
    int embeddingSize();

    /**
     * Embeds N frames [N, 3, 112, 112] into {@code out} [N, embeddingSize()], which the caller owns.
     * Bad shapes or values are an {@link dev.affect.engine.InvalidInputException} naming the input.
     */
    void embed(Tensor frames, Tensor out);

    @Override
    void close();
}
