package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.List;

/**
 * A pointwise activation. Also used as the fused epilogue of {@link Conv2d}.
 *
 * @param slope per-channel PReLU slopes [C]; null for the other kinds
 */
public record Activation(Kind kind, Tensor slope) implements Op {

    public enum Kind {
        RELU, SIGMOID, HSWISH, PRELU
    }

    public Activation {
        Op.require((kind == Kind.PRELU) == (slope != null), "PReLU, and only PReLU, takes slopes");
        Op.require(slope == null || slope.shape().rank() == 1, "PReLU slopes must be [C], got " + (slope == null ? "" : slope.shape()));
    }

    public static Activation relu() {
        return new Activation(Kind.RELU, null);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, null);
    }

    /** x * relu6(x + 3) / 6, as MobileNetV3 and the CoordAtt blocks define it. */
    public static Activation hswish() {
        return new Activation(Kind.HSWISH, null);
    }

    public static Activation prelu(Tensor slope) {
        return new Activation(Kind.PRELU, slope);
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
        Shape x = inputs.get(0);
        if (kind == Kind.PRELU) {
            Op.require(x.rank() >= 2 && x.dim(1) == slope.shape().dim(0),
                    "PReLU with " + slope.shape().dim(0) + " slopes cannot take input " + x);
        }
        return x;
    }

    /** The scalar function for channel c, used by the reference backend. */
    public float apply(float x, int channel, float[] slopes) {
        return switch (kind) {
            case RELU -> Math.max(x, 0f);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case HSWISH -> x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
            case PRELU -> x >= 0f ? x : slopes[channel] * x;
        };
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase();
    }
}
