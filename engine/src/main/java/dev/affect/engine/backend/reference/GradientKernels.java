package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.GradientOp;
import dev.affect.engine.tensor.Shape;
import java.util.List;

/** The textbook backward formula of each of autograd's backward ops. */
final class GradientKernels {
    private GradientKernels() {
    }

    static float[][] run(GradientOp op, List<float[]> in, List<Shape> shapes, List<Shape> outShapes) {
        throw new UnsupportedOperationException(op.describe() + " has no reference kernel yet");
    }
}
