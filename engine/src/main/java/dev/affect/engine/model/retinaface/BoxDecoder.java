package dev.affect.engine.model.retinaface;

/**
 * The authors' {@code decode} and {@code decode_landm} (utils/box_utils.py) followed by their scaling
 * to pixels ({@code * scale / resize}), in float32 in the same operation order, so results agree
 * with PyTorch to the last bit but for exp's rounding.
 */
public final class BoxDecoder {
    private BoxDecoder() {
    }

    /**
     * Boxes x1, y1, x2, y2 in original-image pixels from loc [P, 4] and priors [P, 4] of a W x H
     * network input that was resized from the original by {@code resize}.
     */
    public static float[] boxes(float[] loc, float[] priors, int width, int height, double resize) {
        checkRows(loc, 4, priors);
        float w = width;
        float h = height;
        float r = (float) resize;
        float[] out = new float[loc.length];
        for (int i = 0; i < loc.length; i += 4) {
            float pw = priors[i + 2];
            float ph = priors[i + 3];
            float cx = priors[i] + loc[i] * Priors.CENTER_VARIANCE * pw;
            float cy = priors[i + 1] + loc[i + 1] * Priors.CENTER_VARIANCE * ph;
            float bw = pw * (float) Math.exp(loc[i + 2] * Priors.SIZE_VARIANCE);
            float bh = ph * (float) Math.exp(loc[i + 3] * Priors.SIZE_VARIANCE);
            float x1 = cx - bw / 2;
            float y1 = cy - bh / 2;
            out[i] = x1 * w / r;
            out[i + 1] = y1 * h / r;
            out[i + 2] = (bw + x1) * w / r;
            out[i + 3] = (bh + y1) * h / r;
        }
        return out;
    }

    /** Landmarks (x, y) x 5 in original-image pixels from landms [P, 10], as {@link #boxes}. */
    public static float[] landmarks(float[] landms, float[] priors, int width, int height, double resize) {
        checkRows(landms, 10, priors);
        float w = width;
        float h = height;
        float r = (float) resize;
        float[] out = new float[landms.length];
        for (int p = 0, rows = landms.length / 10; p < rows; p++) {
            float cx = priors[4 * p];
            float cy = priors[4 * p + 1];
            float pw = priors[4 * p + 2];
            float ph = priors[4 * p + 3];
            for (int k = 0; k < 5; k++) {
                int i = 10 * p + 2 * k;
                out[i] = (cx + landms[i] * Priors.CENTER_VARIANCE * pw) * w / r;
                out[i + 1] = (cy + landms[i + 1] * Priors.CENTER_VARIANCE * ph) * h / r;
            }
        }
        return out;
    }

    private static void checkRows(float[] values, int per, float[] priors) {
        if (values.length % per != 0 || values.length / per != priors.length / 4 || priors.length % 4 != 0) {
            throw new IllegalArgumentException(values.length + " values do not make one row of " + per + " per prior ("
                    + priors.length / 4 + " priors)");
        }
    }
}
