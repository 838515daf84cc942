package dev.affect.server.schedule;

/**
 * The model's answer for one frame.
 *
 * @param logits raw classifier outputs, in class order
 * @param probabilities softmax of the logits
 * @param expressionIndex the top class
 * @param expression the top class's name
 * @param embedding the 512-d embedding, or {@code null} when it was not asked for
 */
public record FramePrediction(float[] logits, float[] probabilities, int expressionIndex, String expression,
        float[] embedding) {
}
