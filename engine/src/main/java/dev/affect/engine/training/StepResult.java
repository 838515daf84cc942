package dev.affect.engine.training;

/**
 * What one training step did.
 *
 * @param loss   the batch's loss before the update
 * @param frames the valid frames it averaged over; 0 when the batch had none and nothing was updated
 */
public record StepResult(double loss, int frames) {

    public boolean updated() {
        return frames > 0;
    }
}
