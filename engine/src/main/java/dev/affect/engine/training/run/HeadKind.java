package dev.affect.engine.training.run;

import java.util.Locale;

/** The head architecture a run trains: per-frame FC or recurrent LSTM (see the training fixtures' definitions). */
public enum HeadKind {
    FC, LSTM;

    /** {@code fc} or {@code lstm}, any case. */
    public static HeadKind parse(String s) {
        return Names.parse(HeadKind.class, "head", s);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
