package dev.affect.server.jobs;

import java.util.List;
import java.util.Objects;

/**
 * Where a job stands. Immutable: every change makes a new one, so a snapshot handed to a watcher
 * never changes under it.
 *
 * @param epoch            epochs finished
 * @param epochs           epochs asked
 * @param step             optimiser steps taken, across epochs
 * @param metrics          the latest training metrics
 * @param validation       the latest validation metrics
 * @param etaMs            estimated time left; 0 when unknown or ended
 * @param error            why it failed or was cancelled; "" otherwise
 * @param failedStep       the step where the loss stopped being finite; 0 otherwise
 * @param resumedFromEpoch the epoch it last resumed from after a restart; 0 = never
 * @param headCheckpoint   the trained head, once SUCCEEDED; "" before
 */
public record JobStatus(JobState state, int epoch, int epochs, long step, List<MetricPoint> metrics,
        List<MetricPoint> validation, long etaMs, long createdMs, long startedMs, long endedMs, String error,
        long failedStep, int resumedFromEpoch, String headCheckpoint) {

    public JobStatus {
        Objects.requireNonNull(state, "state");
        metrics = List.copyOf(metrics);
        validation = List.copyOf(validation);
        error = Objects.requireNonNullElse(error, "");
        headCheckpoint = Objects.requireNonNullElse(headCheckpoint, "");
    }

    /** A new job, PENDING. */
    public static JobStatus created(int epochs, long nowMs) {
        return new JobStatus(JobState.PENDING, 0, epochs, 0, List.of(), List.of(), 0, nowMs, 0, 0, "", 0, 0, "");
    }

    /**
     * The job in {@code next}; ending states stamp the end time and clear the ETA.
     *
     * @throws IllegalJobTransitionException when the state machine does not allow it
     */
    public JobStatus moveTo(JobState next, long nowMs) {
        if (!state.canMoveTo(next)) {
            throw new IllegalJobTransitionException(state, next);
        }
        long started = next == JobState.RUNNING ? nowMs : startedMs;
        long ended = next.terminal() ? nowMs : 0;
        return new JobStatus(next, epoch, epochs, step, metrics, validation, next.terminal() ? 0 : etaMs, createdMs, started,
                ended, error, failedStep, resumedFromEpoch, headCheckpoint);
    }

    public JobStatus withProgress(long newStep, List<MetricPoint> newMetrics, long newEtaMs) {
        return new JobStatus(state, epoch, epochs, newStep, newMetrics, validation, newEtaMs, createdMs, startedMs, endedMs,
                error, failedStep, resumedFromEpoch, headCheckpoint);
    }

    public JobStatus withEpoch(int newEpoch, long newStep, List<MetricPoint> newValidation, long newEtaMs) {
        return new JobStatus(state, newEpoch, epochs, newStep, metrics, newValidation, newEtaMs, createdMs, startedMs, endedMs,
                error, failedStep, resumedFromEpoch, headCheckpoint);
    }

    public JobStatus withError(String message, long step0) {
        return new JobStatus(state, epoch, epochs, step, metrics, validation, etaMs, createdMs, startedMs, endedMs, message,
                step0, resumedFromEpoch, headCheckpoint);
    }

    public JobStatus withResumedFrom(int fromEpoch) {
        return new JobStatus(state, epoch, epochs, step, metrics, validation, etaMs, createdMs, startedMs, endedMs, error,
                failedStep, fromEpoch, headCheckpoint);
    }

    public JobStatus withHead(String checkpoint) {
        return new JobStatus(state, epoch, epochs, step, metrics, validation, etaMs, createdMs, startedMs, endedMs, error,
                failedStep, resumedFromEpoch, checkpoint);
    }
}
