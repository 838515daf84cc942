package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Node;

final class LstmBackwardLowering {
    private LstmBackwardLowering() {
    }

    static void lower(CpuGraphCompiler b, Node n) {
        throw new UnsupportedOperationException("cpu: " + n.op().describe() + " has no cpu lowering yet");
    }
}
