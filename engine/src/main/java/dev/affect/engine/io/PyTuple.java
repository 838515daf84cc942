package dev.affect.engine.io;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A Python tuple: immutable, may hold None (null), usable as a dict key. */
record PyTuple(List<Object> items) {
    static PyTuple of(Object... items) {
        return new PyTuple(Collections.unmodifiableList(Arrays.asList(items.clone())));
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }
}
