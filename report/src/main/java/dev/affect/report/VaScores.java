package dev.affect.report;

import dev.affect.engine.metrics.VaMetrics;

/** The valence-arousal challenge scores of a set: each CCC and their mean P_VA. */
public record VaScores(int nFrames, double cccValence, double cccArousal, double pVa) {

    public static VaScores of(VaMetrics m) {
        return new VaScores(m.nFrames(), m.cccValence(), m.cccArousal(), m.pVa());
    }
}
