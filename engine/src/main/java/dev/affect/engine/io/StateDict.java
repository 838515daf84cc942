package dev.affect.engine.io;

import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * An immutable, ordered map from parameter name to tensor, in file order (PyTorch's state_dict
 * order is module registration order, which loaders and key listings rely on).
 *
 * <p>The tensors usually view a memory-mapped file; they stay valid as long as the arena they were
 * read into is open.
 */
public final class StateDict {
    private final SequencedMap<String, Tensor> tensors;

    /** Copies the entries in the map's iteration order. */
    public StateDict(Map<String, Tensor> tensors) {
        LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> copy.put(name, Objects.requireNonNull(tensor, name)));
        this.tensors = Collections.unmodifiableSequencedMap(copy);
    }

    public int size() {
        return tensors.size();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor named {@code name}; throws (naming the key) when it is absent. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new NoSuchElementException("no tensor '" + name + "' in state dict of " + size() + " tensors");
        }
        return t;
    }

    /** Names in file order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /** Read-only ordered view. */
    public SequencedMap<String, Tensor> asMap() {
        return tensors;
    }

    /**
     * Removes {@code prefix} from every key that starts with it (other keys are kept as they are),
     * e.g. the {@code module.} that DataParallel adds. Two keys collapsing to one name is an error.
     */
    public StateDict stripPrefix(String prefix) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) {
            String key = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : e.getKey();
            if (out.put(key, e.getValue()) != null) {
                throw new IllegalStateException("stripping '" + prefix + "' makes two keys named '" + key + "'");
            }
        }
        return new StateDict(out);
    }

    /** The entries under {@code prefix} (e.g. "fc."), with the prefix removed from their names. */
    public StateDict sub(String prefix) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return new StateDict(out);
    }

    /** Without the {@code module.} prefix a DataParallel save puts on every key; this dict when its keys have none. */
    public StateDict withoutDataParallelPrefix() {
        return allHavePrefix("module.") ? stripPrefix("module.") : this;
    }

    /** Whether every key starts with {@code prefix} (false for an empty dict). */
    public boolean allHavePrefix(String prefix) {
        return !tensors.isEmpty() && tensors.keySet().stream().allMatch(k -> k.startsWith(prefix));
    }

    @Override
    public String toString() {
        List<String> head = new ArrayList<>(names().subList(0, Math.min(3, size())));
        return "StateDict(" + size() + " tensors" + (head.isEmpty() ? "" : ": " + String.join(", ", head)
                + (size() > head.size() ? ", ..." : "")) + ")";
    }
}
