package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.ActivationBackward;
import dev.affect.engine.graph.BatchNormTrainingBackward;
import dev.affect.engine.graph.BinaryBackward;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Conv2dBackwardData;
import dev.affect.engine.graph.Conv2dBackwardWeights;
import dev.affect.engine.graph.GradientOp;
import dev.affect.engine.graph.LinearBackward;
import dev.affect.engine.graph.LstmBackward;
import dev.affect.engine.graph.MeanBackward;
import dev.affect.engine.graph.PReluBackward;
import dev.affect.engine.graph.SoftmaxBackward;
import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * Runs one of autograd's backward ops on float arrays: the textbook formula of each, accumulated
 * in double and rounded once, since this is the oracle every backend's gradients are tested against.
 */
final class GradientKernels {
    private GradientKernels() {
    }

    static float[][] run(GradientOp op, List<float[]> in, List<Shape> shapes, List<Shape> outShapes) {
        return switch (op) {
            case Conv2dBackwardData d -> new float[][] {ConvGradientKernels.backwardData(in.get(Conv2dBackwardData.GY),
                    shapes.get(Conv2dBackwardData.GY), in.get(Conv2dBackwardData.W), shapes.get(Conv2dBackwardData.W),
                    d.forward(), outShapes.get(0))};
            case Conv2dBackwardWeights w -> convWeights(w.forward(), in, shapes);
            case BatchNormTrainingBackward b -> ReductionGradientKernels.batchNormTraining(
                    in.get(BatchNormTrainingBackward.X), shapes.get(BatchNormTrainingBackward.X),
                    in.get(BatchNormTrainingBackward.GY), in.get(BatchNormTrainingBackward.MEAN),
                    in.get(BatchNormTrainingBackward.VAR), in.get(BatchNormTrainingBackward.WEIGHT), b.eps());
            case ActivationBackward a -> new float[][] {PointwiseGradientKernels.activation(a.forward(),
                    in.get(ActivationBackward.X), in.get(ActivationBackward.GY))};
            case PReluBackward p -> PointwiseGradientKernels.prelu(in.get(PReluBackward.X), shapes.get(PReluBackward.X),
                    in.get(PReluBackward.SLOPE), in.get(PReluBackward.GY));
            case BinaryBackward b -> PointwiseGradientKernels.binary(b.kind(), in.get(BinaryBackward.A),
                    shapes.get(BinaryBackward.A), in.get(BinaryBackward.B), shapes.get(BinaryBackward.B),
                    in.get(BinaryBackward.GY), shapes.get(BinaryBackward.GY));
            case LinearBackward l -> MatrixGradientKernels.linear(in.get(LinearBackward.X), shapes.get(LinearBackward.X),
                    in.get(LinearBackward.W), shapes.get(LinearBackward.W), in.get(LinearBackward.GY), l.bias());
            case LstmBackward l -> MatrixGradientKernels.lstm(in, shapes);
            case SoftmaxBackward s -> new float[][] {ReductionGradientKernels.softmax(in.get(SoftmaxBackward.Y),
                    shapes.get(SoftmaxBackward.Y), in.get(SoftmaxBackward.GY), s.axis())};
            case MeanBackward m -> new float[][] {ReductionGradientKernels.mean(in.get(MeanBackward.GY),
                    shapes.get(MeanBackward.X), m.axis())};
        };
    }

    private static float[][] convWeights(Conv2d conv, List<float[]> in, List<Shape> shapes) {
        float[] x = in.get(Conv2dBackwardWeights.X);
        float[] gy = in.get(Conv2dBackwardWeights.GY);
        Shape xs = shapes.get(Conv2dBackwardWeights.X);
        Shape gys = shapes.get(Conv2dBackwardWeights.GY);
        float[] gw = ConvGradientKernels.backwardWeights(x, xs, gy, gys, shapes.get(Conv2dBackwardWeights.W), conv);
        return conv.bias() ? new float[][] {gw, ConvGradientKernels.backwardBias(gy, gys)} : new float[][] {gw};
    }
}
