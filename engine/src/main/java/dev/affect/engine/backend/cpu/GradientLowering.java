package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.GradientOp;
import dev.affect.engine.graph.Node;

/** Lowers autograd's backward ops to oneDNN's backward primitives. */
final class GradientLowering {
    private GradientLowering() {
    }

    static void lower(CpuGraphCompiler c, Node n, GradientOp op) {
        throw new UnsupportedOperationException(op.describe() + " has no cpu lowering yet");
    }
}
