package dev.affect.engine.model.heads;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sequence's state in a {@link Pipeline}: a {@link HeadState} per LSTM head, keyed by the head's
 * key, allocated in the caller's scope by {@link Pipeline#newState}. Not thread-safe.
 */
public final class PipelineState {
    private final Pipeline pipeline;
    private final Map<String, HeadState> states;

    PipelineState(Pipeline pipeline, Map<String, HeadState> states) {
        this.pipeline = pipeline;
        this.states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** The state of the LSTM head with this key; IllegalArgumentException when there is none. */
    public HeadState of(String key) {
        HeadState s = states.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no LSTM head '" + key + "'; LSTM heads: " + states.keySet());
        }
        return s;
    }

    HeadState of(LstmHead head) {
        return of(head.key());
    }

    /** The states by head key. */
    public Map<String, HeadState> states() {
        return states;
    }

    /** Back to the start of a sequence for every head. */
    public void reset() {
        states.values().forEach(HeadState::reset);
    }
}
