package dev.affect.engine.training.run;

import java.util.Locale;

/**
 * What a run trains: a per-frame FC or recurrent LSTM head on frozen embeddings (see the training
 * fixtures' definitions), or the whole DDAMFN fine-tuned on frames ({@link BackboneTrainingRun}).
 */
public enum HeadKind {
    FC, LSTM, BACKBONE;

    /** {@code fc}, {@code lstm} or {@code backbone}, any case. */
    public static HeadKind parse(String s) {
        return Names.parse(HeadKind.class, "head", s);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
