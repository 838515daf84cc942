package dev.affect.server.repository;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.StateDict;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a checkpoint holds, told from its state_dict keys alone (before anything is built), so that
 * {@code --model NAME=CHECKPOINT} and the pipeline slots can refuse the wrong kind with a clear message.
 */
public enum CheckpointKind {
    /** A DDAMFN backbone: {@code fc.weight} plus the {@code cat_head0.*} attention heads. */
    BACKBONE,
    /** An FC or LSTM head: only {@code fc.*}, optionally {@code lstm.*}, and one task layer. */
    HEAD;

    private static final Set<String> HEAD_PREFIXES = Set.of("fc", "lstm");

    /**
     * @param source names the checkpoint in the error (the file, usually)
     * @throws InvalidInputException naming {@code source} when it is neither
     */
    public static CheckpointKind of(StateDict checkpoint, String source) {
        StateDict sd = checkpoint.allHavePrefix("module.") ? checkpoint.stripPrefix("module.") : checkpoint;
        Set<String> prefixes = prefixes(sd);
        if (sd.contains("fc.weight") && prefixes.contains("cat_head0")) {
            return BACKBONE;
        }
        long others = prefixes.stream().filter(p -> !HEAD_PREFIXES.contains(p)).count();
        if (sd.contains("fc.weight") && others == 1) {
            return HEAD;
        }
        throw new InvalidInputException(source, "neither a DDAMFN backbone (fc.*, cat_head0.*, ...) nor a head"
                + " (fc.*, optional lstm.*, one task layer); its key prefixes are " + preview(prefixes));
    }

    /** As {@link #of(StateDict, String)}, naming the checkpoint "checkpoint". */
    public static CheckpointKind of(StateDict checkpoint) {
        return of(checkpoint, "checkpoint");
    }

    /** The task layer's prefix of a head checkpoint ("va", "expr", "au" or a raw head's own), for messages. */
    static String headKey(StateDict checkpoint) {
        StateDict sd = checkpoint.allHavePrefix("module.") ? checkpoint.stripPrefix("module.") : checkpoint;
        return prefixes(sd).stream().filter(p -> !HEAD_PREFIXES.contains(p)).findFirst().orElse("?");
    }

    private static Set<String> prefixes(StateDict sd) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : sd.names()) {
            int dot = name.indexOf('.');
            out.add(dot < 0 ? name : name.substring(0, dot));
        }
        return out;
    }

    private static String preview(Set<String> prefixes) {
        List<String> list = List.copyOf(prefixes);
        return list.size() <= 8 ? list.toString() : list.subList(0, 8) + " and " + (list.size() - 8) + " more";
    }
}
