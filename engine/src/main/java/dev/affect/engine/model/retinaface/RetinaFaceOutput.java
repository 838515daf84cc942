package dev.affect.engine.model.retinaface;

import dev.affect.engine.tensor.Tensor;

/**
 * The network's raw outputs for N images of P priors: encoded box offsets {@code loc} [N, P, 4],
 * softmaxed class scores {@code conf} [N, P, 2] (column 1 = face) and encoded landmark offsets
 * {@code landms} [N, P, 10].
 */
public record RetinaFaceOutput(Tensor loc, Tensor conf, Tensor landms) {
}
