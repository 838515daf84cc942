package dev.affect.engine.model.retinaface;

/**
 * PriorBox of cfg_mnet for an input of H x W: steps 8/16/32 with min sizes [16, 32] / [64, 128] /
 * [256, 512], feature maps ceil(H/step) x ceil(W/step), ordered level, row, column, min size. Each
 * prior is (cx, cy, w, h) normalised by the input's width and height, computed in double as the
 * authors' Python does and rounded to float32 once. No clipping.
 */
public final class Priors {
    static final int[] STEPS = {8, 16, 32};
    static final int[][] MIN_SIZES = {{16, 32}, {64, 128}, {256, 512}};
    /** cfg_mnet's variance: centre offsets are scaled by the first, log sizes by the second. */
    public static final float CENTER_VARIANCE = 0.1f;
    public static final float SIZE_VARIANCE = 0.2f;

    private Priors() {
    }

    /** Number of priors for an H x W input (rows of the network's outputs). */
    public static int count(int height, int width) {
        int n = 0;
        for (int k = 0; k < STEPS.length; k++) {
            n += ceilDiv(height, STEPS[k]) * ceilDiv(width, STEPS[k]) * MIN_SIZES[k].length;
        }
        return n;
    }

    /** The priors, 4 floats each: cx, cy, w, h. */
    public static float[] of(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + height + "x" + width);
        }
        float[] p = new float[count(height, width) * 4];
        int o = 0;
        for (int k = 0; k < STEPS.length; k++) {
            int step = STEPS[k];
            int rows = ceilDiv(height, step);
            int cols = ceilDiv(width, step);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    for (int minSize : MIN_SIZES[k]) {
                        p[o++] = (float) ((j + 0.5) * step / width);
                        p[o++] = (float) ((i + 0.5) * step / height);
                        p[o++] = (float) ((double) minSize / width);
                        p[o++] = (float) ((double) minSize / height);
                    }
                }
            }
        }
        return p;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
