package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.Backbone;
import dev.affect.engine.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in backbone for pipeline tests: the means of each channel's four quadrants (12 features
 * of a [N, 3, H, W] frame) through a fixed random linear map and tanh. Counts its calls and frames,
 * so tests can check that each frame is embedded exactly once.
 */
final class PoolingTestBackbone implements Backbone {
    static final int FEATURES = 12;
    private final int size;
    private final float[] weight;
    private final float[] bias;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger embedded = new AtomicInteger();

    PoolingTestBackbone(int embeddingSize, long seed) {
        this.size = embeddingSize;
        Random rng = new Random(seed);
        weight = new float[size * FEATURES];
        bias = new float[size];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < size; i++) {
            bias[i] = (float) rng.nextGaussian() * 0.1f;
        }
    }

    @Override
    public int embeddingSize() {
        return size;
    }

    @Override
    public void embed(Tensor frames, Tensor out) {
        var s = frames.shape();
        if (s.rank() != 4 || s.dim(1) != 3 || s.dim(2) < 2 || s.dim(3) < 2) {
            throw new InvalidInputException("frames", "must be [N, 3, H, W], got " + s);
        }
        int n = s.dim(0);
        int h = s.dim(2);
        int w = s.dim(3);
        if (out.shape().rank() != 2 || out.shape().dim(0) != n || out.shape().dim(1) != size) {
            throw new InvalidInputException("out", "must be [" + n + ", " + size + "], got " + out.shape());
        }
        calls.incrementAndGet();
        embedded.addAndGet(n);
        double[] f = new double[FEATURES];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(f, 0);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
                        f[c * 4 + q] += frames.getFloat((((long) i * 3 + c) * h + y) * w + x);
                    }
                }
            }
            for (int k = 0; k < FEATURES; k++) {
                f[k] /= (h * w / 4.0);
            }
            for (int e = 0; e < size; e++) {
                double z = bias[e];
                for (int k = 0; k < FEATURES; k++) {
                    z += weight[e * FEATURES + k] * f[k];
                }
                out.setFloat((long) i * size + e, (float) Math.tanh(z));
            }
        }
    }

    @Override
    public void close() {
    }
}
