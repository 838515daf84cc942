package dev.affect.client;

import dev.affect.proto.v1.JobEvent;
import java.util.Map;

/**
 * One event of a watched job.
 *
 * @param kind    SNAPSHOT (first), STATE, PROGRESS (training metrics) or EPOCH (validation metrics)
 * @param job     the job right after the event
 * @param metrics the metrics the event reports
 * @param dropped events missed just before this one because the watcher read too slowly
 */
public record JobUpdate(JobEvent.Kind kind, JobInfo job, Map<String, Double> metrics, long dropped) {
    static JobUpdate of(JobEvent e) {
        return new JobUpdate(e.getKind(), JobInfo.of(e.getJob()), JobInfo.byKey(e.getMetricsList()), e.getDropped());
    }
}
