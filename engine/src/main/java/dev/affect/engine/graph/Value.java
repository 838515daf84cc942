package dev.affect.engine.graph;

/**
 * A tensor flowing through a {@link Graph}. Parameters are values too (named by their state_dict
 * key), so weights are inputs of the nodes that use them and gradients have a value to attach to.
 *
 * @param id   unique within its graph
 * @param name the graph input/output name, the state_dict key of a parameter, or a debug name
 */
public record Value(int id, String name, TensorType type, Kind kind) {

    public enum Kind {
        /** Fed by the caller on every execution (frames, embeddings, token ids). */
        INPUT,
        /** Held by a {@link ParameterStore}, shared by every executable of the model. */
        PARAMETER,
        /** Carried by the caller from one execution to the next (an LSTM's h and c). */
        STATE,
        /** Produced by a node. */
        TEMP
    }

    @Override
    public String toString() {
        return name + ":" + type;
    }
}
