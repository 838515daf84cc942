package dev.affect.engine.training;

import java.util.Map;

/**
 * One batch's loss and the gradients of the trainable parameters at the store's current values.
 *
 * @param loss        the objective's loss
 * @param frames      the valid frames it averages over (0: no backward pass ran, no gradients)
 * @param byParameter dL/dp by parameter name, row-major as the parameter
 */
public record Gradients(double loss, int frames, Map<String, float[]> byParameter) {
}
