package dev.affect.engine.training.data;

import dev.affect.engine.model.Backbone;
import dev.affect.engine.tensor.Tensor;

/**
 * A cheap deterministic stand-in for DDAMFN in data and loop tests: the mean of each 7x7 block of
 * the red and green channels of a 112x112 face, 2 x 16 x 16 = 512 values per frame.
 */
public final class PooledBackbone implements Backbone {
    @Override
    public int embeddingSize() {
        return 512;
    }

    @Override
    public void embed(Tensor frames, Tensor out) {
        int n = frames.shape().dim(0);
        float[] px = frames.toFloatArray();
        float[] e = new float[n * 512];
        int plane = 112 * 112;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                for (int by = 0; by < 16; by++) {
                    for (int bx = 0; bx < 16; bx++) {
                        float sum = 0;
                        for (int y = 0; y < 7; y++) {
                            for (int x = 0; x < 7; x++) {
                                sum += px[(i * 3 + c) * plane + (by * 7 + y) * 112 + bx * 7 + x];
                            }
                        }
                        e[i * 512 + c * 256 + by * 16 + bx] = sum / 49;
                    }
                }
            }
        }
        out.copyFrom(e);
    }

    @Override
    public void close() {
    }
}
