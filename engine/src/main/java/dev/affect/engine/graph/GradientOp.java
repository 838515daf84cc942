package dev.affect.engine.graph;

/**
 * The backward ops autograd ({@code graph.passes.Autograd}) emits: one per canonical op family
 * that has trainable inputs or sits between them. Each takes the forward op's inputs it needs plus
 * the upstream gradient and returns the gradients of the forward inputs, as torch.autograd does.
 * Shape-only ops (Reshape, Transpose, Concat, Split) differentiate into canonical ops instead.
 */
public sealed interface GradientOp extends Op permits Conv2dBackwardData, Conv2dBackwardWeights,
        BatchNormTrainingBackward, ActivationBackward, PReluBackward, LinearBackward, LstmBackward,
        SoftmaxBackward, BinaryBackward, MeanBackward {
}
