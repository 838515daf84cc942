package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Node;

final class BinaryBackwardLowering {
    private BinaryBackwardLowering() {
    }

    static void lower(CpuGraphCompiler b, Node n, dev.affect.engine.graph.BinaryBackward op) {
        throw new UnsupportedOperationException("cpu: " + n.op().describe() + " has no cpu lowering yet");
    }
}
