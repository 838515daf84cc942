package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * Training-mode batch normalisation, as torch's BatchNorm2d in train(): normalises with the batch's
 * own per-channel mean and biased variance over N*H*W, and returns the running-statistics update.
 * Inputs: x, running mean, running var, weight, bias. Outputs: y, the updated running mean
 * {@code (1-m)*rm + m*mean}, the updated running var {@code (1-m)*rv + m*var*n/(n-1)}, and the
 * batch mean and biased variance (which the backward pass reuses).
 */
public record BatchNormTraining(float eps, float momentum) implements CanonicalOp {

    public static final int Y = 0;
    public static final int RUNNING_MEAN = 1;
    public static final int RUNNING_VAR = 2;
    public static final int BATCH_MEAN = 3;
    public static final int BATCH_VAR = 4;

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public static BatchNormTraining defaults() {
        return new BatchNormTraining(1e-5f, 0.1f);
    }

    @Override
    public int outputCount() {
        return 5;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 5, 5);
        Shape x = BatchNorm.checked(inputs);
        Op.require(x.numel() / x.dim(1) > 1, "training batch norm needs more than one value per channel, got " + x);
        Shape c = Shape.of(x.dim(1));
        return List.of(x, c, c, c, c);
    }

    @Override
    public String describe() {
        return "batchnorm-train";
    }
}
