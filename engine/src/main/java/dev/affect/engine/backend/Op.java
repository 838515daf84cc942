package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * One operation of a {@link Graph}. Ops are immutable values; weights they carry are constants of
 * the plan. Every op is implemented by every backend and checked against the reference backend.
 */
public sealed interface Op permits Conv2d, BatchNorm, Activation, Binary, Mean, Linear, Flatten {

    /** How many graph values the op reads. */
    int arity();

    /** The output shape for the given input shapes; throws IllegalArgumentException when they do not fit. */
    Shape outputShape(List<Shape> inputs);

    /** A short description for plans, errors and profiles. */
    String describe();

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
