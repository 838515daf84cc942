package dev.affect.engine.model.retinaface;

import dev.affect.engine.InvalidInputException;

/**
 * How detections are selected and how images are sized for the network.
 *
 * @param confidenceThreshold a prior is a candidate when its face score is strictly greater (float32 compare)
 * @param topK                candidates kept, best first, before NMS ({@link #ALL} keeps every one)
 * @param nmsThreshold        NMS drops a box whose IoU (+1 pixel convention) with a kept one is greater
 * @param keepTopK            detections kept after NMS ({@link #ALL}: all; biubug6 detect.py uses 750)
 * @param targetSize          the shorter side is resized to this ...
 * @param maxSize             ... unless the longer side would then round above this, in which case the
 *                            longer side is resized to it (face_align_v2.0.py: both 320)
 * @param bucketMultiple      the resized image is padded bottom/right, with zeros after mean
 *                            subtraction, to multiples of this, so one executable serves a bucket of
 *                            sizes; 1 runs every resized size as it is (the authors' numbers exactly)
 */
public record DetectionConfig(float confidenceThreshold, int topK, float nmsThreshold, int keepTopK, int targetSize,
                              int maxSize, int bucketMultiple) {
    /** No truncation. */
    public static final int ALL = Integer.MAX_VALUE;
    /** Sides beyond this are refused as a configuration error (the network input is at most maxSize^2). */
    public static final int LARGEST_SIZE = 4096;

    public DetectionConfig {
        if (!(confidenceThreshold >= 0f && confidenceThreshold < 1f)) {
            throw new InvalidInputException("confidence_threshold", "must be in [0, 1), got " + confidenceThreshold);
        }
        if (!(nmsThreshold >= 0f && nmsThreshold <= 1f)) {
            throw new InvalidInputException("nms_threshold", "must be in [0, 1], got " + nmsThreshold);
        }
        if (topK < 1) {
            throw new InvalidInputException("top_k", "must be at least 1, got " + topK);
        }
        if (keepTopK < 1) {
            throw new InvalidInputException("keep_top_k", "must be at least 1, got " + keepTopK);
        }
        if (targetSize < 1 || targetSize > LARGEST_SIZE) {
            throw new InvalidInputException("target_size", "must be in [1, " + LARGEST_SIZE + "], got " + targetSize);
        }
        if (maxSize < targetSize || maxSize > LARGEST_SIZE) {
            throw new InvalidInputException("max_size", "must be in [target_size " + targetSize + ", " + LARGEST_SIZE
                    + "], got " + maxSize);
        }
        if (bucketMultiple < 1 || bucketMultiple > maxSize) {
            throw new InvalidInputException("bucket_multiple", "must be in [1, max_size " + maxSize + "], got " + bucketMultiple);
        }
    }

    /** The authors' face_align_v2.0.py: confidence 0.6, NMS 0.35, every face kept, 320; buckets of 32. */
    public static DetectionConfig defaults() {
        return new DetectionConfig(0.6f, ALL, 0.35f, ALL, 320, 320, 32);
    }

    public DetectionConfig withThresholds(float confidence, float nms) {
        return new DetectionConfig(confidence, topK, nms, keepTopK, targetSize, maxSize, bucketMultiple);
    }

    public DetectionConfig withTopK(int top, int keepTop) {
        return new DetectionConfig(confidenceThreshold, top, nmsThreshold, keepTop, targetSize, maxSize, bucketMultiple);
    }

    public DetectionConfig withBucketMultiple(int multiple) {
        return new DetectionConfig(confidenceThreshold, topK, nmsThreshold, keepTopK, targetSize, maxSize, multiple);
    }
}
