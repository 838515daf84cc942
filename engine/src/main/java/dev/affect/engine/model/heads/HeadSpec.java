package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a head checkpoint holds, read from its state_dict keys and shapes: an FC head
 * ({@code fc.*}, task layer) or an LSTM head ({@code lstm.*_l0}, {@code fc.*}, task layer). The
 * task layer is the one module prefix that is neither {@code fc} nor {@code lstm}. Every problem is
 * an {@link InvalidInputException} naming the key.
 *
 * @param lstm       whether there is an LSTM before fc
 * @param key        the task layer's prefix (the head's output name)
 * @param task       the task the key names, empty for a raw head
 * @param inputSize  embedding width D
 * @param hiddenSize LSTM hidden size H (0 for an FC head)
 * @param fcSize     fc output width F
 * @param outputSize task layer outputs n
 */
record HeadSpec(boolean lstm, String key, Optional<Task> task, int inputSize, int hiddenSize, int fcSize, int outputSize) {

    static final String FC = "fc";
    static final String LSTM = "lstm";
    static final String W_IH = "lstm.weight_ih_l0";
    static final String W_HH = "lstm.weight_hh_l0";
    static final String B_IH = "lstm.bias_ih_l0";
    static final String B_HH = "lstm.bias_hh_l0";
    static final String FC_W = "fc.weight";
    static final String FC_B = "fc.bias";

    String weight() {
        return key + ".weight";
    }

    String bias() {
        return key + ".bias";
    }

    String describe() {
        return (lstm ? "LSTM(" + inputSize + "->" + hiddenSize + ") head, fc " + hiddenSize : "FC head, fc " + inputSize)
                + "->" + fcSize + ", " + key + " " + fcSize + "->" + outputSize
                + task.map(t -> " (" + t + ", " + t.activation().name().toLowerCase() + ")").orElse(" (raw)");
    }

    /** Every key this head has, in state_dict order. */
    List<String> keys() {
        List<String> k = new ArrayList<>();
        if (lstm) {
            k.addAll(List.of(W_IH, W_HH, B_IH, B_HH));
        }
        k.addAll(List.of(FC_W, FC_B, weight(), bias()));
        return k;
    }

    /** The state_dict without the {@code module.} prefix DataParallel adds to every key. */
    static StateDict normalize(StateDict sd) {
        return sd.withoutDataParallelPrefix();
    }

    /** Reads a normalized state_dict (see {@link #normalize}). */
    static HeadSpec read(StateDict sd) {
        Set<String> prefixes = new LinkedHashSet<>();
        for (String name : sd.names()) {
            int dot = name.indexOf('.');
            if (dot <= 0) {
                throw new InvalidInputException(name, "not a head parameter (expected <layer>.weight or <layer>.bias)");
            }
            prefixes.add(name.substring(0, dot));
        }
        if (!prefixes.contains(FC)) {
            throw new InvalidInputException(FC_W, "missing: a head checkpoint has fc.weight and fc.bias (keys: " + sd.names() + ")");
        }
        boolean lstm = prefixes.contains(LSTM);
        List<String> others = prefixes.stream().filter(p -> !p.equals(FC) && !p.equals(LSTM)).toList();
        if (others.isEmpty()) {
            throw new InvalidInputException("<task>.weight", "no task layer: every key is under fc or lstm (keys: " + sd.names() + ")");
        }
        if (others.size() > 1) {
            throw new InvalidInputException(others.get(1) + ".weight", "a second task layer besides " + others.get(0)
                    + " (a head has one layer that is not fc or lstm; found " + others + ")");
        }
        String key = others.get(0);
        Optional<Task> task = Task.forKey(key);

        int inputSize;
        int hidden = 0;
        if (lstm) {
            Shape wih = shape(sd, W_IH, 2);
            if (wih.dim(0) % 4 != 0) {
                throw new InvalidInputException(W_IH, "must be [4H, D] (gates i, f, g, o), got " + wih);
            }
            hidden = wih.dim(0) / 4;
            inputSize = wih.dim(1);
            expect(sd, W_HH, Shape.of(4 * hidden, hidden));
            expect(sd, B_IH, Shape.of(4 * hidden));
            expect(sd, B_HH, Shape.of(4 * hidden));
        } else {
            inputSize = -1;
        }
        Shape fcw = shape(sd, FC_W, 2);
        int fcIn = lstm ? hidden : fcw.dim(1);
        if (lstm && fcw.dim(1) != hidden) {
            throw new InvalidInputException(FC_W, "must be [F, " + hidden + "] to follow the LSTM's hidden size, got " + fcw);
        }
        if (!lstm) {
            inputSize = fcIn;
        }
        int fcSize = fcw.dim(0);
        expect(sd, FC_B, Shape.of(fcSize));
        Shape tw = shape(sd, key + ".weight", 2);
        if (tw.dim(1) != fcSize) {
            throw new InvalidInputException(key + ".weight", "must be [n, " + fcSize + "] to follow fc, got " + tw);
        }
        int n = tw.dim(0);
        if (task.isPresent() && n != task.get().outputSize()) {
            throw new InvalidInputException(key + ".weight", task.get() + " has " + task.get().outputSize()
                    + " outputs " + task.get().labels() + ", the layer has " + n);
        }
        expect(sd, key + ".bias", Shape.of(n));
        HeadSpec spec = new HeadSpec(lstm, key, task, inputSize, hidden, fcSize, n);
        Set<String> expected = Set.copyOf(spec.keys());
        for (String name : sd.names()) {
            if (!expected.contains(name)) {
                throw new InvalidInputException(name, "unexpected in " + (lstm ? "an LSTM" : "an FC")
                        + " head (one layer, no projection); expected exactly " + spec.keys());
            }
        }
        return spec;
    }

    private static Tensor tensor(StateDict sd, String name) {
        if (!sd.contains(name)) {
            throw new InvalidInputException(name, "missing (keys: " + sd.names() + ")");
        }
        Tensor t = sd.get(name);
        if (!t.dtype().isFloating()) {
            throw new InvalidInputException(name, "must be floating point, got " + t.dtype());
        }
        return t;
    }

    private static Shape shape(StateDict sd, String name, int rank) {
        Shape s = tensor(sd, name).shape();
        if (s.rank() != rank) {
            throw new InvalidInputException(name, "must have rank " + rank + ", got " + s);
        }
        return s;
    }

    private static void expect(StateDict sd, String name, Shape want) {
        Shape s = tensor(sd, name).shape();
        if (!s.equals(want)) {
            throw new InvalidInputException(name, "must be " + want + ", got " + s);
        }
    }
}
