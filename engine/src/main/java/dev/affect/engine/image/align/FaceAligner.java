package dev.affect.engine.image.align;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.RgbImage;

/**
 * Five-point face alignment as DDAMFN's {@code norm_crop}: fit a similarity to each pose template
 * ({@link SimilarityEstimator}), keep the best, and warp the image into a square crop with OpenCV's
 * fixed-point bilinear warp ({@link AffineWarp}), black outside the image.
 */
public final class FaceAligner {
    private final int cropSize;

    /** Crops of 112x112, the size DDAMFN takes. */
    public FaceAligner() {
        this(112);
    }

    /** Crops of {@code cropSize} (112 or 224; the templates are doubled for 224). */
    public FaceAligner(int cropSize) {
        if (!FaceTemplates.supports(cropSize)) {
            throw new InvalidInputException("crop_size", "templates exist for 112 and 224, got " + cropSize);
        }
        this.cropSize = cropSize;
    }

    public int cropSize() {
        return cropSize;
    }

    /** One aligned face: the matrix from image to crop pixels, the winning template and the crop. */
    public record Alignment(AffineMatrix matrix, int poseIndex, RgbImage crop) {
    }

    /**
     * Aligns with float32 landmarks (a float32 detector's output, as the fixtures feed them).
     *
     * @param landmarks x,y of left eye, right eye, nose, left mouth, right mouth in image pixels
     * @throws InvalidInputException when the landmarks are not 10 finite values or are degenerate
     */
    public Alignment align(RgbImage image, float[] landmarks) {
        return crop(image, SimilarityEstimator.bestFit(landmarks, cropSize));
    }

    /** Aligns with double landmarks (skimage's float64 arithmetic, as the authors' pipeline runs it). */
    public Alignment align(RgbImage image, double[] landmarks) {
        return crop(image, SimilarityEstimator.bestFit(landmarks, cropSize));
    }

    private Alignment crop(RgbImage image, SimilarityEstimator.Fit fit) {
        return new Alignment(fit.matrix(), fit.poseIndex(), AffineWarp.warp(image, fit.matrix(), cropSize, cropSize));
    }
}
