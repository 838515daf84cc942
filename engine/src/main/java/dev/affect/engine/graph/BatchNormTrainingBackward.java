package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * The backward pass of {@link BatchNormTraining} (torch's, with the biased batch variance the
 * forward returned): inputs x [N, C, ...], gy, batch mean [C], batch var [C], weight [C].
 * Outputs gx = w/sqrt(var+eps) * (gy - mean(gy) - x̂*mean(gy*x̂)), gw = sum(gy*x̂), gb = sum(gy).
 * The running statistics get no gradient.
 */
public record BatchNormTrainingBackward(float eps) implements GradientOp {

    public static final int X = 0;
    public static final int GY = 1;
    public static final int MEAN = 2;
    public static final int VAR = 3;
    public static final int WEIGHT = 4;

    @Override
    public int outputCount() {
        return 3;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 5, 5);
        Shape x = inputs.get(X);
        Op.require(x.rank() >= 2 && inputs.get(GY).equals(x), describe() + ": gy must be " + x + ", got " + inputs.get(GY));
        Shape c = Shape.of(x.dim(1));
        for (int i = MEAN; i <= WEIGHT; i++) {
            Op.require(inputs.get(i).equals(c), describe() + ": input " + i + " must be " + c + ", got " + inputs.get(i));
        }
        return List.of(x, c, c);
    }

    @Override
    public String describe() {
        return "batchnorm-train-backward";
    }
}
