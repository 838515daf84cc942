package dev.affect.client;

/**
 * The server's answer for one image of {@link AffectClient#predict}.
 *
 * @param expression the top class's name
 * @param expressionIndex the top class's index in the model's class list
 * @param logits raw classifier outputs, in class order
 * @param probabilities softmax of the logits
 * @param embedding the 512-d embedding, or an empty array when it was not asked for
 * @param affect the pipeline's task heads on this frame alone, or null when the server sent none
 */
public record FrameResult(String expression, int expressionIndex, float[] logits, float[] probabilities,
        float[] embedding, Affect affect) {

    /** A result without task values. */
    public FrameResult(String expression, int expressionIndex, float[] logits, float[] probabilities, float[] embedding) {
        this(expression, expressionIndex, logits, probabilities, embedding, null);
    }
}
