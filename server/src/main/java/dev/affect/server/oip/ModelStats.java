package dev.affect.server.oip;

import dev.affect.proto.inference.InferStatistics;
import dev.affect.proto.inference.ModelStatistics;
import dev.affect.proto.inference.StatisticDuration;
import java.util.concurrent.atomic.AtomicLong;

/** One model's cumulative counters for ModelStatistics (Triton's meaning: counts and total nanoseconds). Thread-safe. */
final class ModelStats {
    private final AtomicLong successCount = new AtomicLong();
    private final AtomicLong successNs = new AtomicLong();
    private final AtomicLong failCount = new AtomicLong();
    private final AtomicLong failNs = new AtomicLong();
    private final AtomicLong queueNs = new AtomicLong();
    private final AtomicLong inferNs = new AtomicLong();
    private final AtomicLong inferences = new AtomicLong();
    private final AtomicLong executions = new AtomicLong();
    private final AtomicLong lastInferenceMs = new AtomicLong();

    void succeeded(long ns) {
        successCount.incrementAndGet();
        successNs.addAndGet(ns);
    }

    void failed(long ns) {
        failCount.incrementAndGet();
        failNs.addAndGet(ns);
    }

    void queued(long ns) {
        queueNs.addAndGet(ns);
    }

    void executed(int rows, long ns) {
        executions.incrementAndGet();
        inferences.addAndGet(rows);
        inferNs.addAndGet(ns);
        lastInferenceMs.set(System.currentTimeMillis());
    }

    ModelStatistics toProto(String name, String version) {
        long exec = executions.get();
        return ModelStatistics.newBuilder()
                .setName(name)
                .setVersion(version)
                .setLastInference(lastInferenceMs.get())
                .setInferenceCount(inferences.get())
                .setExecutionCount(exec)
                .setInferenceStats(InferStatistics.newBuilder()
                        .setSuccess(duration(successCount.get(), successNs.get()))
                        .setFail(duration(failCount.get(), failNs.get()))
                        .setQueue(duration(successCount.get(), queueNs.get()))
                        .setComputeInfer(duration(exec, inferNs.get())))
                .build();
    }

    private static StatisticDuration duration(long count, long ns) {
        return StatisticDuration.newBuilder().setCount(count).setNs(ns).build();
    }
}
