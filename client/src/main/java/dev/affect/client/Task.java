package dev.affect.client;

import java.util.Locale;

/** The frame-level tasks a pipeline can answer (affect.v1.Task). */
public enum Task {
    /** Valence and arousal in [-1, 1]. */
    VA(dev.affect.proto.v1.Task.TASK_VA),
    /** The 8 Aff-Wild2 expression probabilities. */
    EXPR(dev.affect.proto.v1.Task.TASK_EXPR),
    /** 12 action-unit probabilities. */
    AU(dev.affect.proto.v1.Task.TASK_AU);

    private final dev.affect.proto.v1.Task proto;

    Task(dev.affect.proto.v1.Task proto) {
        this.proto = proto;
    }

    dev.affect.proto.v1.Task proto() {
        return proto;
    }

    static Task of(dev.affect.proto.v1.Task proto) {
        for (Task t : values()) {
            if (t.proto == proto) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task " + proto);
    }

    /** {@code va}, {@code expr} or {@code au} (any case). */
    public static Task parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "va" -> VA;
            case "expr", "expression" -> EXPR;
            case "au", "aus" -> AU;
            default -> throw new IllegalArgumentException("unknown task '" + name + "'; expected va, expr or au");
        };
    }
}
