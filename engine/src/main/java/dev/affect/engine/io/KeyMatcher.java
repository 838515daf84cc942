package dev.affect.engine.io;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compares the tensors a model expects (name -> shape) with a state dict and reports every
 * difference at once (like torch's load_state_dict(strict=True)), so one failed load shows the
 * whole picture instead of the first missing key. Models declare their unused-but-saved keys as
 * expected, so no ignore list is needed.
 */
public final class KeyMatcher {
    /** A name present on both sides with different shapes. */
    public record ShapeMismatch(String name, Shape checkpoint, Shape model) {
        @Override
        public String toString() {
            return name + ": checkpoint " + dims(checkpoint) + " vs model " + dims(model);
        }
    }

    /** All differences; missing and mismatched follow the model's order, unexpected the file's. */
    public record Report(List<String> missing, List<String> unexpected, List<ShapeMismatch> mismatched) {
        public Report {
            missing = List.copyOf(missing);
            unexpected = List.copyOf(unexpected);
            mismatched = List.copyOf(mismatched);
        }

        public boolean matches() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }

        /** e.g. "2 missing [fc.weight, fc.bias], 1 unexpected [foo], 1 shape mismatch [...]". */
        public String summary() {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add(missing.size() + " missing " + bracket(missing));
            }
            if (!unexpected.isEmpty()) {
                parts.add(unexpected.size() + " unexpected " + bracket(unexpected));
            }
            if (!mismatched.isEmpty()) {
                parts.add(mismatched.size() + " shape mismatch" + (mismatched.size() == 1 ? " " : "es ")
                        + bracket(mismatched));
            }
            return parts.isEmpty() ? "all keys match" : String.join(", ", parts);
        }
    }

    private KeyMatcher() {
    }

    public static Report compare(Map<String, Shape> expected, StateDict checkpoint) {
        List<String> missing = new ArrayList<>();
        List<ShapeMismatch> mismatched = new ArrayList<>();
        for (var e : expected.entrySet()) {
            if (!checkpoint.contains(e.getKey())) {
                missing.add(e.getKey());
            } else {
                Shape actual = checkpoint.get(e.getKey()).shape();
                if (!actual.equals(e.getValue())) {
                    mismatched.add(new ShapeMismatch(e.getKey(), actual, e.getValue()));
                }
            }
        }
        List<String> unexpected = checkpoint.names().stream().filter(n -> !expected.containsKey(n)).toList();
        return new Report(missing, unexpected, mismatched);
    }

    /**
     * Throws unless the keys and shapes match exactly; {@code model} names the model in the
     * message, e.g. "DDAMFN(num_class=8, num_head=2)".
     */
    public static void requireMatch(String model, Map<String, Shape> expected, StateDict checkpoint) {
        Report r = compare(expected, checkpoint);
        if (!r.matches()) {
            throw new CheckpointMismatchException("does not match " + model + ": " + r.summary(), r);
        }
    }

    /**
     * {@link #requireMatch} for a checkpoint read from {@code source} (a file's name, or
     * {@link CheckpointMismatchException#FIELD} for one in memory): the num_batches_tracked counters
     * the file lacks are not required (bookkeeping forward() never reads), and a mismatch from a file
     * is an {@link InvalidInputException} naming it. Returns the keys required.
     */
    public static Map<String, Shape> requireCheckpoint(String source, String model, Map<String, Shape> expected,
                                                       StateDict checkpoint) {
        Map<String, Shape> required = new LinkedHashMap<>(expected);
        required.keySet().removeIf(k -> k.endsWith(".num_batches_tracked") && !checkpoint.contains(k));
        try {
            requireMatch(model, required, checkpoint);
        } catch (CheckpointMismatchException e) {
            if (source.equals(e.field())) {
                throw e;
            }
            throw new InvalidInputException(source, "does not match " + model + ": " + e.report().summary(), e);
        }
        return required;
    }

    private static String bracket(List<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** [64,3,3,3] without spaces, so shapes read as one token in the message. */
    static String dims(Shape s) {
        return s.toString().replace(" ", "");
    }
}
