package dev.affect.engine.training.run;

import java.time.Duration;

/**
 * Where a run is after an optimiser step, for progress bars and job events.
 *
 * @param epoch 1-based
 * @param step 1-based within the epoch
 * @param loss the step's training loss
 * @param samplesPerSecond training throughput (windows for a head, frames for a backbone) since this process started or resumed the run
 * @param eta the estimated time to the end of the run at that rate (validation not included)
 */
public record StepProgress(int epoch, int epochs, int step, int stepsPerEpoch, long globalStep, double loss, double lr,
                           double samplesPerSecond, Duration eta) {
}
