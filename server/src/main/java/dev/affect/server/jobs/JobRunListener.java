package dev.affect.server.jobs;

import dev.affect.engine.training.run.EpochRecord;
import dev.affect.engine.training.run.RunListener;
import dev.affect.engine.training.run.RunState;
import dev.affect.engine.training.run.StepProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/** A training run's callbacks as a job's progress: step metrics, epoch ends with validation metrics. */
final class JobRunListener implements RunListener {
    private final JobContext context;
    private final String rateKey;
    private boolean sizeKnown;

    /** @param rateKey the throughput metric's key: {@code windows_per_second} for a head, {@code frames_per_second} for a backbone */
    JobRunListener(JobContext context, String rateKey) {
        this.context = context;
        this.rateKey = rateKey;
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
        metrics.put(rateKey, p.samplesPerSecond());
        context.step(p.globalStep(), metrics);
    }

    @Override
    public void epoch(EpochRecord record, RunState state) {
        context.epochEnded(record.epoch(), state.globalStep(), record.metrics());
    }
}
