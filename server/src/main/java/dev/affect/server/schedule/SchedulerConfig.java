package dev.affect.server.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the frame scheduler (one per pipeline; the decode pool and the budgets are server-wide).
 *
 * @param maxBatch frames per backbone pass (default 32); also the rows of each preallocated batch buffer
 * @param maxDelay how long the oldest frame of a batch that is not full may wait for more (default 2 ms)
 * @param decodeThreads threads that decode and normalise frames into batch buffers (default 2)
 * @param queueFrames frames accepted and not yet answered, per pipeline; beyond it RESOURCE_EXHAUSTED (default 1024)
 * @param queueBytes encoded bytes of those frames (default 256 MiB)
 * @param batchBuffers batch buffers in the ring per pipeline (default 4: one per device worker running, one
 *     decoding, one filling)
 * @param deviceWorkers threads that run batches of the pipeline (default 2): their backbone passes overlap,
 *     their heads and results follow batch order. With a backend of one compute thread each, two workers
 *     keep two cores busy without OpenMP's fork/join per primitive, which a preempted thread stalls
 */
public record SchedulerConfig(int maxBatch, Duration maxDelay, int decodeThreads, int queueFrames, long queueBytes,
        int batchBuffers, int deviceWorkers) {
    public static final int DEFAULT_MAX_BATCH = 32;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(2);
    public static final int DEFAULT_DECODE_THREADS = 2;
    public static final int DEFAULT_QUEUE_FRAMES = 1024;
    public static final long DEFAULT_QUEUE_BYTES = 256L * 1024 * 1024;
    public static final int DEFAULT_BATCH_BUFFERS = 4;
    public static final int DEFAULT_DEVICE_WORKERS = 2;

    public SchedulerConfig {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxBatch < 1 || maxBatch > 1024) {
            throw new IllegalArgumentException("maxBatch must be in 1..1024, got " + maxBatch);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, got " + maxDelay);
        }
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decodeThreads must be at least 1, got " + decodeThreads);
        }
        if (queueFrames < 1 || queueBytes < 1) {
            throw new IllegalArgumentException("queueFrames and queueBytes must be positive, got " + queueFrames + ", " + queueBytes);
        }
        if (deviceWorkers < 1 || deviceWorkers > 64) {
            throw new IllegalArgumentException("deviceWorkers must be in 1..64, got " + deviceWorkers);
        }
        if (batchBuffers < deviceWorkers + 1) {
            throw new IllegalArgumentException("batchBuffers must be at least deviceWorkers + 1 (" + (deviceWorkers + 1)
                    + "), got " + batchBuffers);
        }
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY, DEFAULT_DECODE_THREADS, DEFAULT_QUEUE_FRAMES,
                DEFAULT_QUEUE_BYTES, DEFAULT_BATCH_BUFFERS,
                DEFAULT_DEVICE_WORKERS);
    }

    public SchedulerConfig withMaxBatch(int n) {
        return new SchedulerConfig(n, maxDelay, decodeThreads, queueFrames, queueBytes, batchBuffers, deviceWorkers);
    }

    public SchedulerConfig withMaxDelay(Duration d) {
        return new SchedulerConfig(maxBatch, d, decodeThreads, queueFrames, queueBytes, batchBuffers, deviceWorkers);
    }

    public SchedulerConfig withDecodeThreads(int n) {
        return new SchedulerConfig(maxBatch, maxDelay, n, queueFrames, queueBytes, batchBuffers, deviceWorkers);
    }

    public SchedulerConfig withQueue(int frames, long bytes) {
        return new SchedulerConfig(maxBatch, maxDelay, decodeThreads, frames, bytes, batchBuffers, deviceWorkers);
    }

    /** {@code n} device workers, with {@code n + 2} batch buffers (one filling, one decoding). */
    public SchedulerConfig withDeviceWorkers(int n) {
        return new SchedulerConfig(maxBatch, maxDelay, decodeThreads, queueFrames, queueBytes, n + 2, n);
    }
}
