package dev.affect.server.jobs;

import java.nio.file.Path;
import java.util.Map;

/**
 * A runner slowed to at least {@code stepMs} per training step, so that a test can act in the middle
 * of an epoch; the pause is in the progress report, outside the training arithmetic, so the weights
 * are those of the unpaced runner.
 */
public final class PacedRunner implements JobRunner {
    private final JobRunner inner;
    private final long stepMs;

    public PacedRunner(JobRunner inner, long stepMs) {
        this.inner = inner;
        this.stepMs = stepMs;
    }

    @Override
    public void check(JobSpec spec) {
        inner.check(spec);
    }

    @Override
    public JobResult run(JobContext context) throws Exception {
        return inner.run(new JobContext() {
            @Override
            public String jobId() {
                return context.jobId();
            }

            @Override
            public JobSpec spec() {
                return context.spec();
            }

            @Override
            public Path runDir() {
                return context.runDir();
            }

            @Override
            public void totalSteps(long steps) {
                context.totalSteps(steps);
            }

            @Override
            public void step(long step, Map<String, Double> metrics) {
                context.step(step, metrics);
                try {
                    Thread.sleep(stepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void epochEnded(int epoch, long step, Map<String, Double> validationMetrics) {
                context.epochEnded(epoch, step, validationMetrics);
            }

            @Override
            public boolean stopRequested() {
                return context.stopRequested();
            }
        });
    }
}
