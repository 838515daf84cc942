package dev.affect.engine.training;

import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.loss.FrameMask;

/**
 * One batch's side of the contrastive loss that does not train.
 *
 * @param text   each sample's text embedding T_j = text_emb[y_j, template_j], f32 [N, width]
 * @param labels each sample's class y_j
 * @param mask   the valid samples, or null for all
 */
public record ContrastiveTargets(Tensor text, long[] labels, FrameMask mask) {
    public ContrastiveTargets {
        labels = labels.clone();
    }

    FrameMask maskFor(int samples) {
        return mask == null ? FrameMask.all(samples) : mask;
    }
}
