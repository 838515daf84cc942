package dev.affect.server.jobs;

import dev.affect.engine.training.run.EpochRecord;
import dev.affect.engine.training.run.RunListener;
import dev.affect.engine.training.run.RunState;
import dev.affect.engine.training.run.StepProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/** A head training run's callbacks as a job's progress: step metrics, epoch ends with validation metrics. */
final class JobRunListener implements RunListener {
    private final JobContext context;
    private boolean sizeKnown;

    JobRunListener(JobContext context) {
        this.context = context;
    }

    @Override
    public void step(StepProgress p) {
        if (!sizeKnown) {
            context.totalSteps((long) p.epochs() * p.stepsPerEpoch());
            sizeKnown = true;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", p.loss());
        metrics.put("lr", p.lr());
        metrics.put("windows_per_second", p.windowsPerSecond());
        context.step(p.globalStep(), metrics);
    }

    @Override
    public void epoch(EpochRecord record, RunState state) {
        context.epochEnded(record.epoch(), state.globalStep(), record.metrics());
    }
}
