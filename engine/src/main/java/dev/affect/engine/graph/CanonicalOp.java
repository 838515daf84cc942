package dev.affect.engine.graph;

/** The ops models are written in: pure functions of their inputs, one per textbook operation. */
public sealed interface CanonicalOp extends Op permits Conv2d, BatchNorm, BatchNormTraining, Activation, PRelu,
        Binary, Mean, Linear, MatMul, LayerNorm, Softmax, Reshape, Transpose, Concat, Split, Slice, Gather,
        Upsample, Lstm {
}
