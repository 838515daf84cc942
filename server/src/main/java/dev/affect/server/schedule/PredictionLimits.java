package dev.affect.server.schedule;

/**
 * Bounds of the prediction path.
 *
 * @param maxFramesPerRequest more frames in one request are refused (INVALID_ARGUMENT)
 * @param maxBatch frames per forward pass; larger requests run in several passes, which bounds the
 *     number and size of compiled plans
 * @param computeThreads workers that decode, preprocess and run the model; each borrows its own execution
 *     context, so workers run the model at the same time (no lock), each with oneDNN's intra-op threads
 * @param queueCapacity requests waiting for a worker; beyond it requests are refused
 *     (RESOURCE_EXHAUSTED) instead of queueing without limit
 */
public record PredictionLimits(int maxFramesPerRequest, int maxBatch, int computeThreads, int queueCapacity) {
    public static final int DEFAULT_MAX_FRAMES = 64;
    public static final int DEFAULT_MAX_BATCH = 16;
    public static final int DEFAULT_COMPUTE_THREADS = 2;
    public static final int DEFAULT_QUEUE_CAPACITY = 64;

    public PredictionLimits {
        positive("maxFramesPerRequest", maxFramesPerRequest);
        positive("maxBatch", maxBatch);
        positive("computeThreads", computeThreads);
        positive("queueCapacity", queueCapacity);
    }

    public static PredictionLimits defaults() {
        return new PredictionLimits(DEFAULT_MAX_FRAMES, DEFAULT_MAX_BATCH, DEFAULT_COMPUTE_THREADS, DEFAULT_QUEUE_CAPACITY);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
