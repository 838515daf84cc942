package dev.affect.engine.model.retinaface;

import java.util.List;

/**
 * The merged heads' rows of each level ({@link RetinaFaceNetwork}: box 4, class logits 2, landmarks
 * 10 per row) as the authors' three outputs: loc [N, P, 4], conf [N, P, 2] softmaxed as torch does
 * (exp(x - max) / sum) and landms [N, P, 10], each image's rows level after level. Splitting and a
 * two-way softmax in one pass over the rows costs less than the copies and the softmax primitive
 * the separate heads needed.
 */
final class HeadRows {
    private HeadRows() {
    }

    /** {@code levels[l]} holds [N, P_l, 16]; returns loc, conf, landms of N images. */
    static RetinaFace.Arrays split(int batch, List<float[]> levels) {
        int rows = 0;
        for (float[] level : levels) {
            rows += level.length / RetinaFaceNetwork.ROW;
        }
        float[] loc = new float[rows * RetinaFaceNetwork.LOC_COLUMNS];
        float[] conf = new float[rows * RetinaFaceNetwork.CONF_COLUMNS];
        float[] landms = new float[rows * RetinaFaceNetwork.LANDMS_COLUMNS];
        int r = 0;
        for (int n = 0; n < batch; n++) {
            for (float[] level : levels) {
                int perImage = level.length / RetinaFaceNetwork.ROW / batch;
                for (int i = 0; i < perImage; i++, r++) {
                    int src = (n * perImage + i) * RetinaFaceNetwork.ROW;
                    System.arraycopy(level, src, loc, r * 4, 4);
                    float a = level[src + 4];
                    float b = level[src + 5];
                    // exp(x - max) is exactly 1 for the larger logit: one exp per row
                    float e = (float) Math.exp(Math.min(a, b) - Math.max(a, b));
                    float ea = a >= b ? 1f : e;
                    float eb = a >= b ? e : 1f;
                    float sum = ea + eb;
                    conf[r * 2] = ea / sum;
                    conf[r * 2 + 1] = eb / sum;
                    System.arraycopy(level, src + 6, landms, r * 10, 10);
                }
            }
        }
        return new RetinaFace.Arrays(loc, conf, landms);
    }
}
