package dev.affect.client;

import dev.affect.proto.v1.Job;
import dev.affect.proto.v1.JobState;
import dev.affect.proto.v1.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training job as the server last reported it.
 *
 * @param metrics           the latest training metrics by key
 * @param validationMetrics the latest validation metrics by key
 * @param etaMs             estimated milliseconds left; 0 when unknown or ended
 * @param error             why it failed or was cancelled; "" otherwise
 * @param failedStep        the step where a diverged job's loss stopped being finite; 0 otherwise
 * @param resumedFromEpoch  the epoch it resumed from after a server restart; 0 = never
 * @param headCheckpoint    the trained head on the server, once SUCCEEDED
 * @param proto             the full message (spec included)
 */
public record JobInfo(String id, JobState state, int epoch, int epochs, long step, Map<String, Double> metrics,
        Map<String, Double> validationMetrics, long etaMs, String error, long failedStep, int resumedFromEpoch,
        String headCheckpoint, Job proto) {

    static JobInfo of(Job j) {
        return new JobInfo(j.getId(), j.getState(), j.getEpoch(), j.getEpochs(), j.getStep(), byKey(j.getMetricsList()),
                byKey(j.getValidationMetricsList()), j.getEtaMs(), j.getError(), j.getFailedStep(), j.getResumedFromEpoch(),
                j.getHeadCheckpoint(), j);
    }

    /** True once the job has ended (SUCCEEDED, FAILED or CANCELLED). */
    public boolean done() {
        return state == JobState.SUCCEEDED || state == JobState.FAILED || state == JobState.CANCELLED;
    }

    static Map<String, Double> byKey(List<Metric> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach(m -> out.put(m.getKey(), m.getValue()));
        return Map.copyOf(out);
    }
}
