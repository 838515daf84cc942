package dev.affect.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --key value} options checked against a tool's declared {@link BenchOption}s, with typed
 * getters that name the option when a value is bad. The bench tools are internal, so no picocli.
 */
final class Args {
    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    /** True when {@code --help} or {@code -h} appears anywhere: the usage wins over any other problem. */
    static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** The given values over the defaults. */
    static Args parse(String[] args, List<BenchOption> options) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (BenchOption o : options) {
            values.put(o.name(), o.defaultValue());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (options are --name value)");
            }
            String name = arg.substring(2);
            if (!values.containsKey(name)) {
                throw new UsageException("unknown option " + arg);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(arg + " needs a value");
            }
            values.put(name, args[++i]);
        }
        return new Args(values);
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no option --" + name + " is declared"); // a bug of the tool, not the user's
        }
        return v;
    }

    int positiveInt(String name) throws UsageException {
        return positiveInt(name, get(name));
    }

    int nonNegativeInt(String name) throws UsageException {
        try {
            int v = Integer.parseInt(get(name));
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below, as for negatives
        }
        throw new UsageException("--" + name + ": '" + get(name) + "' is not a non-negative integer");
    }

    /** A comma-separated list of positive integers, e.g. {@code 1,8,32}. */
    List<Integer> positiveInts(String name) throws UsageException {
        List<Integer> list = new ArrayList<>();
        for (String part : get(name).split(",", -1)) {
            list.add(positiveInt(name, part.strip()));
        }
        return list;
    }

    String oneOf(String name, Set<String> allowed) throws UsageException {
        String v = get(name);
        if (!allowed.contains(v)) {
            throw new UsageException("--" + name + ": '" + v + "' is not one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return v;
    }

    private static int positiveInt(String name, String text) throws UsageException {
        try {
            int v = Integer.parseInt(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below, as for zero and negatives
        }
        throw new UsageException("--" + name + ": '" + text + "' is not a positive integer");
    }
}
