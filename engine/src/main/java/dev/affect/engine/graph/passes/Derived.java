package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * Derived parameters the passes make: named deterministically from what they are made of, so that
 * preparing the same model twice (or matching the same weights twice, as the two halves of a
 * coordinate attention do) reuses one derivation instead of making another.
 */
final class Derived {
    private Derived() {
    }

    /**
     * The name of a derived parameter: {@code <base>#<tag>@<hash>}, base being the key of the
     * parameter it replaces, the hash over every source key and the attributes the function reads
     * (such as a BatchNorm's eps), so different derivations never share a name.
     */
    static String name(String base, String tag, List<String> sources, String attributes) {
        long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits: stable across runs and JVMs
        String key = base + '\u0000' + tag + '\u0000' + String.join("\u0000", sources) + '\u0000' + attributes;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return base + "#" + tag + "@" + String.format("%08x", (int) (h ^ (h >>> 32)));
    }

    /**
     * The derived parameter as a value of the graph being built: recorded in the store (made now) on
     * first use, reused when the store already has it.
     */
    static Value parameter(Rewriter r, ParameterStore store, String base, String tag, List<String> sources,
                           String attributes, Shape shape, Function<List<Tensor>, Tensor> make) {
        String name = name(base, tag, sources, attributes);
        if (!store.isDerived(name)) {
            if (store.contains(name)) {
                throw new IllegalStateException("parameter " + name + " exists but is not a derivation");
            }
            store.derive(name, sources, make);
        }
        Shape made = store.get(name).shape();
        if (!made.equals(shape)) {
            throw new IllegalStateException("derived parameter " + name + " is " + made + ", expected " + shape);
        }
        return r.parameter(name, shape);
    }

    /** The sources' keys; each must be a parameter. */
    static List<String> keys(Value... sources) {
        for (Value v : sources) {
            if (v.kind() != Value.Kind.PARAMETER) {
                throw new IllegalArgumentException(v + " is not a parameter");
            }
        }
        return java.util.Arrays.stream(sources).map(Value::name).toList();
    }

    static boolean allParameters(List<Value> values) {
        return values.stream().allMatch(v -> v.kind() == Value.Kind.PARAMETER);
    }
}
