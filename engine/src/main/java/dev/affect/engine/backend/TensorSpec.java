package dev.affect.engine.backend;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;

/** A named tensor of an executable's signature. */
public record TensorSpec(String name, DType dtype, Shape shape) {
}
