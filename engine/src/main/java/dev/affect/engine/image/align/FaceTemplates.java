package dev.affect.engine.image.align;

import dev.affect.engine.InvalidInputException;

/**
 * The five reference landmark sets of DDAMFN's {@code face_align_v2.0.py} ({@code src1..src5}), one per
 * head pose, for a 112x112 crop; a 224x224 crop uses them doubled, as their {@code src_map}.
 *
 * <p>Each template is ten float32 values, x,y of left eye, right eye, nose, left and right mouth corner.
 * They are float32 because the authors' arrays are, and the estimate's arithmetic depends on it.
 * The frontal one is not ArcFace's common template.
 */
public final class FaceTemplates {
    /** Number of templates (poses). */
    public static final int POSES = 5;
    /** Pose indices, as the source comments name them. */
    public static final int LEFT_PROFILE = 0;
    public static final int LEFT = 1;
    public static final int FRONTAL = 2;
    public static final int RIGHT = 3;
    public static final int RIGHT_PROFILE = 4;

    private static final float[][] T112 = {
            {55.550f, 49.477f, 62.116f, 49.339f, 38.075f, 70.237f, 55.017f, 92.262f, 61.466f, 92.979f},
            {47.241f, 48.598f, 72.887f, 49.540f, 40.555f, 71.067f, 47.423f, 93.643f, 71.236f, 94.353f},
            {33.566f, 40.559f, 78.321f, 40.559f, 55.338f, 64.967f, 38.479f, 90.276f, 73.591f, 90.276f},
            {39.516f, 49.540f, 65.162f, 48.598f, 71.849f, 71.067f, 41.167f, 94.353f, 64.980f, 93.643f},
            {50.225f, 49.339f, 56.791f, 49.477f, 74.266f, 70.237f, 50.875f, 92.979f, 65.317f, 92.262f},
    };

    private FaceTemplates() {
    }

    /** The crop sizes that have templates. */
    public static boolean supports(int cropSize) {
        return cropSize == 112 || cropSize == 224;
    }

    /**
     * Template {@code pose} for a square crop of {@code cropSize} (112 or 224), as a fresh array.
     *
     * @throws InvalidInputException when the size or pose is not one of the supported values
     */
    public static float[] template(int pose, int cropSize) {
        if (!supports(cropSize)) {
            throw new InvalidInputException("crop_size", "templates exist for 112 and 224, got " + cropSize);
        }
        if (pose < 0 || pose >= POSES) {
            throw new InvalidInputException("pose", "must be 0.." + (POSES - 1) + ", got " + pose);
        }
        float[] t = T112[pose].clone();
        if (cropSize == 224) {
            // numpy's src * 2 on float32: doubling is exact.
            for (int i = 0; i < t.length; i++) {
                t[i] *= 2f;
            }
        }
        return t;
    }
}
