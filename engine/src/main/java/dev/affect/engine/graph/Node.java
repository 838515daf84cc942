package dev.affect.engine.graph;

import java.util.List;

/** One application of an op: its inputs (activations and parameters alike) and its outputs. */
public record Node(Op op, List<Value> inputs, List<Value> outputs) {

    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The first (for most ops the only) output. */
    public Value output() {
        return outputs.get(0);
    }

    public Value input(int i) {
        return inputs.get(i);
    }

    /** The name of the node, which is the name of its first output. */
    public String name() {
        return outputs.get(0).name();
    }
}
