package dev.affect.engine.image.align;

import dev.affect.engine.InvalidInputException;

/**
 * Umeyama's least-squares similarity (rotation, uniform scale, translation) from five landmarks to a
 * template, as scikit-image 0.19's {@code SimilarityTransform.estimate}, and the authors' choice among
 * the five templates ({@code estimate_norm} of DDAMFN's {@code face_align_v2.0.py}).
 *
 * <p>skimage computes in the dtype of its inputs: the templates are float32, so the template means and
 * demeaned template always are; landmarks given as {@code float[]} make the landmark means, the
 * cross-covariance A and the variances float32 too, landmarks given as {@code double[]} keep those in
 * double. Both are emulated here operation by operation (numpy reduces these short axes sequentially).
 * The 2x2 SVD that skimage takes from LAPACK (in float32 for float32 A) is done in closed form in
 * double instead: R is the rotation nearest to A, angle atan2(A10 - A01, A00 + A11), and
 * {@code S . d} = hypot(A00 + A11, A10 - A01), which also covers skimage's rank-1 special case.
 * What remains is LAPACK's float32 rounding of U, S, V: about 2e-5 on the translation.
 */
public final class SimilarityEstimator {
    private static final int POINTS = 5;

    private SimilarityEstimator() {
    }

    /** The winning template: its matrix (landmarks to crop pixels), index and summed point distance. */
    public record Fit(AffineMatrix matrix, int poseIndex, double error) {
    }

    /**
     * The best of the five templates for a {@code cropSize} crop, from float32 landmarks (the authors'
     * fixtures and a float32 detector). Ties go to the lower pose index.
     *
     * @param landmarks x,y of left eye, right eye, nose, left mouth, right mouth (10 values)
     * @throws InvalidInputException when the landmarks are not 10 finite values or are degenerate
     */
    public static Fit bestFit(float[] landmarks, int cropSize) {
        checkLandmarks(landmarks == null ? -1 : landmarks.length, i -> landmarks[i]);
        double[] asDouble = new double[POINTS * 2];
        for (int i = 0; i < asDouble.length; i++) {
            asDouble[i] = landmarks[i];
        }
        return bestFit(asDouble, true, cropSize);
    }

    /**
     * As {@link #bestFit(float[], int)} for double landmarks (the authors' pipeline, which truncates
     * detections to Python ints, reaches skimage with float64 arithmetic).
     */
    public static Fit bestFit(double[] landmarks, int cropSize) {
        checkLandmarks(landmarks == null ? -1 : landmarks.length, i -> landmarks[i]);
        return bestFit(landmarks.clone(), false, cropSize);
    }

    /** The similarity from float32 landmarks to one template (10 values each). */
    public static AffineMatrix estimate(float[] landmarks, float[] template) {
        checkLandmarks(landmarks == null ? -1 : landmarks.length, i -> landmarks[i]);
        double[] asDouble = new double[POINTS * 2];
        for (int i = 0; i < asDouble.length; i++) {
            asDouble[i] = landmarks[i];
        }
        return umeyama(asDouble, true, checkTemplate(template));
    }

    /** The similarity from double landmarks to one template (10 values each). */
    public static AffineMatrix estimate(double[] landmarks, float[] template) {
        checkLandmarks(landmarks == null ? -1 : landmarks.length, i -> landmarks[i]);
        return umeyama(landmarks, false, checkTemplate(template));
    }

    private static Fit bestFit(double[] landmarks, boolean float32, int cropSize) {
        Fit best = null;
        for (int pose = 0; pose < FaceTemplates.POSES; pose++) {
            float[] template = FaceTemplates.template(pose, cropSize);
            AffineMatrix m = umeyama(landmarks, float32, template);
            double error = error(m, landmarks, template);
            // Strict: the first template wins ties (and a NaN error never wins).
            if (best == null ? error < Double.POSITIVE_INFINITY : error < best.error) {
                best = new Fit(m, pose, error);
            }
        }
        if (best == null) {
            throw new InvalidInputException("landmarks", "no template gives a finite fit");
        }
        return best;
    }

    /** Sum over the points of the Euclidean distance between the mapped landmark and the template point. */
    static double error(AffineMatrix m, double[] landmarks, float[] template) {
        double sum = 0;
        for (int p = 0; p < POINTS; p++) {
            double x = landmarks[2 * p];
            double y = landmarks[2 * p + 1];
            double dx = m.mapX(x, y) - template[2 * p];
            double dy = m.mapY(x, y) - template[2 * p + 1];
            sum += Math.sqrt(dx * dx + dy * dy);
        }
        return sum;
    }

    /**
     * skimage's {@code _umeyama(src, dst, estimate_scale=True)} for 2-D points. {@code src} holds
     * float32 values when {@code float32} is set (its arithmetic is then rounded to float).
     */
    private static AffineMatrix umeyama(double[] src, boolean float32, float[] dst) {
        // Template side: always float32 (the authors' arrays).
        float dmx = 0;
        float dmy = 0;
        for (int p = 0; p < POINTS; p++) {
            dmx += dst[2 * p];
            dmy += dst[2 * p + 1];
        }
        dmx /= POINTS;
        dmy /= POINTS;
        float[] dd = new float[POINTS * 2];
        for (int p = 0; p < POINTS; p++) {
            dd[2 * p] = dst[2 * p] - dmx;
            dd[2 * p + 1] = dst[2 * p + 1] - dmy;
        }

        double smx;
        double smy;
        double[] sd = new double[POINTS * 2];
        double a00;
        double a01;
        double a10;
        double a11;
        double inverseVariance;
        if (float32) {
            float sx = 0;
            float sy = 0;
            for (int p = 0; p < POINTS; p++) {
                sx += (float) src[2 * p];
                sy += (float) src[2 * p + 1];
            }
            sx /= POINTS;
            sy /= POINTS;
            smx = sx;
            smy = sy;
            for (int p = 0; p < POINTS; p++) {
                sd[2 * p] = (float) src[2 * p] - sx;
                sd[2 * p + 1] = (float) src[2 * p + 1] - sy;
            }
            // A = dst_demean.T @ src_demean / 5, every product and partial sum rounded to float.
            a00 = dotFloat(dd, 0, sd, 0) / POINTS;
            a01 = dotFloat(dd, 0, sd, 1) / POINTS;
            a10 = dotFloat(dd, 1, sd, 0) / POINTS;
            a11 = dotFloat(dd, 1, sd, 1) / POINTS;
            // src_demean.var(axis=0).sum() in float32, then 1.0 / it (a float32 scalar).
            float variance = varianceFloat(sd, 0) + varianceFloat(sd, 1);
            inverseVariance = 1.0f / variance;
        } else {
            double sx = 0;
            double sy = 0;
            for (int p = 0; p < POINTS; p++) {
                sx += src[2 * p];
                sy += src[2 * p + 1];
            }
            smx = sx / POINTS;
            smy = sy / POINTS;
            for (int p = 0; p < POINTS; p++) {
                sd[2 * p] = src[2 * p] - smx;
                sd[2 * p + 1] = src[2 * p + 1] - smy;
            }
            a00 = dotDouble(dd, 0, sd, 0) / POINTS;
            a01 = dotDouble(dd, 0, sd, 1) / POINTS;
            a10 = dotDouble(dd, 1, sd, 0) / POINTS;
            a11 = dotDouble(dd, 1, sd, 1) / POINTS;
            inverseVariance = 1.0 / (varianceDouble(sd, 0) + varianceDouble(sd, 1));
        }
        double p = a00 + a11;
        double q = a10 - a01;
        double traceNorm = Math.hypot(p, q);
        if (!(traceNorm > 0) || !Double.isFinite(inverseVariance)) {
            // skimage returns a NaN matrix here (rank 0, or all landmarks on one point).
            throw new InvalidInputException("landmarks", "degenerate: the five points do not span a face "
                    + "(coincident points or no rotation fits)");
        }
        double cos = p / traceNorm;
        double sin = q / traceNorm;
        double scale = inverseVariance * traceNorm;
        double tx = dmx - scale * (cos * smx - sin * smy);
        double ty = dmy - scale * (sin * smx + cos * smy);
        AffineMatrix m = new AffineMatrix(cos * scale, -sin * scale, tx, sin * scale, cos * scale, ty);
        if (!m.isFinite()) {
            throw new InvalidInputException("landmarks", "the similarity estimate is not finite");
        }
        return m;
    }

    private static float dotFloat(float[] a, int ca, double[] b, int cb) {
        float s = 0;
        for (int p = 0; p < POINTS; p++) {
            s += a[2 * p + ca] * (float) b[2 * p + cb];
        }
        return s;
    }

    private static double dotDouble(float[] a, int ca, double[] b, int cb) {
        double s = 0;
        for (int p = 0; p < POINTS; p++) {
            s += a[2 * p + ca] * b[2 * p + cb];
        }
        return s;
    }

    /** numpy's var along one axis of a float32 array: mean, then mean of squared deviations, in float. */
    private static float varianceFloat(double[] v, int c) {
        float mean = 0;
        for (int p = 0; p < POINTS; p++) {
            mean += (float) v[2 * p + c];
        }
        mean /= POINTS;
        float s = 0;
        for (int p = 0; p < POINTS; p++) {
            float x = (float) v[2 * p + c] - mean;
            s += x * x;
        }
        return s / POINTS;
    }

    private static double varianceDouble(double[] v, int c) {
        double mean = 0;
        for (int p = 0; p < POINTS; p++) {
            mean += v[2 * p + c];
        }
        mean /= POINTS;
        double s = 0;
        for (int p = 0; p < POINTS; p++) {
            double x = v[2 * p + c] - mean;
            s += x * x;
        }
        return s / POINTS;
    }

    private interface Values {
        double at(int i);
    }

    private static void checkLandmarks(int length, Values values) {
        if (length != POINTS * 2) {
            throw new InvalidInputException("landmarks", "expected 10 values (x,y of 5 points), got "
                    + (length < 0 ? "null" : length));
        }
        for (int i = 0; i < length; i++) {
            if (!Double.isFinite(values.at(i))) {
                throw new InvalidInputException("landmarks", "value " + i + " is not finite: " + values.at(i));
            }
        }
    }

    private static float[] checkTemplate(float[] template) {
        if (template == null || template.length != POINTS * 2) {
            throw new InvalidInputException("template", "expected 10 values (x,y of 5 points)");
        }
        return template;
    }
}
