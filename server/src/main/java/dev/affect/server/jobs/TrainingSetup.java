package dev.affect.server.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a server trains and evaluates: the folders clients may name paths in, where jobs live, and
 * what trains them.
 *
 * @param dataRoots folders clients may name data and checkpoints in ({@code --data-root}); none = no
 *                  training or data-root evaluation
 * @param jobsDir   one folder per job ({@code --jobs-dir}); jobs found there resume at start
 * @param runner    trains a job; null = the server runs no jobs (TrainingService: FAILED_PRECONDITION)
 * @param settings  concurrency, queue and watcher bounds
 */
public record TrainingSetup(List<Path> dataRoots, Path jobsDir, JobRunner runner, JobManager.Settings settings) {
    /** Where jobs live when not told otherwise: {@code jobs/} in the working directory, next to {@code models/}. */
    public static final Path DEFAULT_JOBS_DIR = Path.of("jobs");

    public TrainingSetup {
        dataRoots = List.copyOf(dataRoots);
        Objects.requireNonNull(jobsDir, "jobsDir");
        Objects.requireNonNull(settings, "settings");
    }

    /** No data roots and no trainer: the training and evaluation services refuse with the reason. */
    public static TrainingSetup none() {
        return new TrainingSetup(List.of(), DEFAULT_JOBS_DIR, null, JobManager.Settings.defaults());
    }
}
