package dev.affect.engine.training.loss;

/**
 * A loss and its gradient with respect to the loss's (trainable side) input.
 *
 * @param value    the loss, accumulated in double
 * @param gradient dL/d(input), same layout as the input; zero for masked frames
 * @param frames   the valid frames averaged over (0: no valid frame, value 0 and zero gradient)
 */
public record LossValue(double value, float[] gradient, int frames) {
}
