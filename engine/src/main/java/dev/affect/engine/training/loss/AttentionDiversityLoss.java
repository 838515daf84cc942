package dev.affect.engine.training.loss;

import java.util.ArrayList;
import java.util.List;

/**
 * DDAMFN's attention loss over its num_head attention maps, {@code cnt / (sum_{i<j} MSE(h_i, h_j) + eps)}
 * with cnt the number of pairs and eps = Python's float epsilon; 0 for a single head. It shrinks as the
 * heads differ. MSE is the mean over every element of the valid frames.
 */
public final class AttentionDiversityLoss {
    /** {@code sys.float_info.epsilon}, as the authors' code adds it. */
    public static final double EPS = 2.220446049250313e-16;

    /**
     * The loss and one gradient per map.
     *
     * @param value     the loss
     * @param gradients dL/d(map i), each laid out as its map
     */
    public record Value(double value, List<float[]> gradients) {
    }

    private AttentionDiversityLoss() {
    }

    /**
     * @param maps   num_head maps, each [frames, elements per frame] flattened (for DDAMFN [N, 512*7*7])
     * @param frames the batch size N
     */
    public static Value compute(List<float[]> maps, int frames, FrameMask mask) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("attention loss needs at least one map");
        }
        int length = maps.get(0).length;
        for (float[] m : maps) {
            if (m.length != length) {
                throw new IllegalArgumentException("attention maps differ in size: " + length + " and " + m.length);
            }
        }
        if (frames <= 0 || length % frames != 0) {
            throw new IllegalArgumentException("attention maps of " + length + " values are not " + frames + " frames");
        }
        int perFrame = length / frames;
        mask.requireSize(frames, "attention maps");
        List<float[]> grads = new ArrayList<>();
        maps.forEach(m -> grads.add(new float[length]));
        int heads = maps.size();
        if (heads == 1 || mask.count() == 0) {
            return new Value(0, grads);
        }
        double elements = (double) mask.count() * perFrame;
        double sum = 0;
        for (int i = 0; i < heads; i++) {
            for (int j = i + 1; j < heads; j++) {
                sum += squaredDistance(maps.get(i), maps.get(j), perFrame, mask) / elements;
            }
        }
        double pairs = heads * (heads - 1) / 2.0;
        double denom = sum + EPS;
        double scale = -pairs / (denom * denom) * 2 / elements;
        for (int f = 0; f < frames; f++) {
            if (!mask.isValid(f)) {
                continue;
            }
            for (int e = f * perFrame; e < (f + 1) * perFrame; e++) {
                for (int i = 0; i < heads; i++) {
                    double acc = 0;
                    for (int j = 0; j < heads; j++) {
                        acc += (double) maps.get(i)[e] - maps.get(j)[e];
                    }
                    grads.get(i)[e] = (float) (scale * acc);
                }
            }
        }
        return new Value(pairs / denom, grads);
    }

    private static double squaredDistance(float[] x, float[] y, int perFrame, FrameMask mask) {
        double total = 0;
        for (int f = 0; f < mask.size(); f++) {
            if (!mask.isValid(f)) {
                continue;
            }
            for (int e = f * perFrame; e < (f + 1) * perFrame; e++) {
                double d = (double) x[e] - y[e];
                total += d * d;
            }
        }
        return total;
    }
}
