package dev.affect.server.oip;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the Open Inference Protocol service.
 *
 * @param sequenceIdle      a sequence not touched for this long is forgotten (its next request
 *                          without START is refused), like Triton's {@code max_sequence_idle_microseconds}
 * @param maxSequences      most live sequences over all models; a new one beyond is RESOURCE_EXHAUSTED
 * @param computeThreads    threads that run inference (never the gRPC transport threads)
 * @param queueCapacity     requests that may wait for a compute thread; beyond is RESOURCE_EXHAUSTED
 * @param streamInFlight    most requests of one ModelStreamInfer stream received and not yet answered
 */
public record OipOptions(Duration sequenceIdle, int maxSequences, int computeThreads, int queueCapacity,
        int streamInFlight) {
    public OipOptions {
        Objects.requireNonNull(sequenceIdle, "sequenceIdle");
        if (sequenceIdle.isNegative() || sequenceIdle.isZero()) {
            throw new IllegalArgumentException("sequenceIdle must be positive, got " + sequenceIdle);
        }
        if (maxSequences < 1 || computeThreads < 1 || queueCapacity < 1 || streamInFlight < 1) {
            throw new IllegalArgumentException("limits must be >= 1: maxSequences " + maxSequences + ", computeThreads "
                    + computeThreads + ", queueCapacity " + queueCapacity + ", streamInFlight " + streamInFlight);
        }
    }

    /** 60 s idle, 1024 sequences, one thread per core (at most 16), 256 queued, 16 in flight per stream. */
    public static OipOptions defaults() {
        int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 16);
        return new OipOptions(Duration.ofSeconds(60), 1024, threads, 256, 16);
    }

    public OipOptions withSequenceIdle(Duration idle) {
        return new OipOptions(idle, maxSequences, computeThreads, queueCapacity, streamInFlight);
    }

    public OipOptions withMaxSequences(int n) {
        return new OipOptions(sequenceIdle, n, computeThreads, queueCapacity, streamInFlight);
    }

    public OipOptions withCompute(int threads, int queue) {
        return new OipOptions(sequenceIdle, maxSequences, threads, queue, streamInFlight);
    }

    public OipOptions withStreamInFlight(int n) {
        return new OipOptions(sequenceIdle, maxSequences, computeThreads, queueCapacity, n);
    }
}
