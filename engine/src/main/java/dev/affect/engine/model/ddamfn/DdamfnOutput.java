package dev.affect.engine.model.ddamfn;

import dev.affect.engine.tensor.Tensor;
import java.util.List;

/**
 * What DDAMNet.forward returns, plus the embedding the temporal heads consume.
 *
 * @param logits    [N, num_class]
 * @param embedding [N, 512], after the GDConv and its BN
 * @param features  [N, 512, 7, 7], the backbone output
 * @param heads     num_head attention maps, each [N, 512, 7, 7]
 */
public record DdamfnOutput(Tensor logits, Tensor embedding, Tensor features, List<Tensor> heads) {
}
