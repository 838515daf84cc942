package dev.affect.engine.training;

import java.util.Map;

/**
 * A batch's loss and the backward pass's seeds.
 *
 * @param loss   the loss (accumulated in double)
 * @param frames the valid frames (samples) it averages over; 0 means there is nothing to learn from
 * @param seeds  dL/d(output) by seeded output name
 */
public record ObjectiveValue(double loss, int frames, Map<String, float[]> seeds) {
    public ObjectiveValue {
        seeds = Map.copyOf(seeds);
    }
}
