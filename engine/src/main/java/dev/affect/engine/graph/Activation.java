package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** A pointwise activation; {@code alpha} is LeakyReLU's negative slope and unused by the others. */
public record Activation(Kind kind, float alpha) implements CanonicalOp {

    public enum Kind {
        RELU, SIGMOID, TANH, HSWISH, LEAKY_RELU, GELU_ERF, GELU_TANH, QUICK_GELU
    }

    public static Activation of(Kind kind) {
        return new Activation(kind, 0f);
    }

    public static Activation leakyRelu(float slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        return List.of(inputs.get(0));
    }

    /** The scalar function, computed in double and rounded once (the reference's definition). */
    public float apply(float x) {
        return switch (kind) {
            case RELU -> Math.max(x, 0f);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case TANH -> (float) Math.tanh(x);
            case HSWISH -> x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
            case LEAKY_RELU -> x >= 0f ? x : alpha * x;
            case GELU_ERF -> (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))));
            case GELU_TANH -> (float) (0.5 * x * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x))));
            case QUICK_GELU -> (float) (x / (1.0 + Math.exp(-1.702 * x)));
        };
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase() + (kind == Kind.LEAKY_RELU ? "(" + alpha + ")" : "");
    }
}
