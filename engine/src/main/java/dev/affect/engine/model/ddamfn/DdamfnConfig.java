package dev.affect.engine.model.ddamfn;

import java.util.Collection;
import java.util.List;

/** The two free hyper-parameters of DDAMNet; everything else is fixed by the architecture. */
public record DdamfnConfig(int numClass, int numHead) {

    public static final int INPUT_SIZE = 112;
    public static final int EMBEDDING = 512;

    public DdamfnConfig {
        if (numClass < 1 || numHead < 1) {
            throw new IllegalArgumentException("DDAMFN needs num_class >= 1 and num_head >= 1, got " + numClass + ", " + numHead);
        }
    }

    /**
     * Reads num_class from fc.weight's rows and num_head from the cat_headN prefixes, as the
     * checkpoint does not record either.
     */
    public static DdamfnConfig infer(Collection<String> keys, int fcRows) {
        int heads = 0;
        while (keys.contains("cat_head" + heads + ".CoordAtt.conv1.weight")) {
            heads++;
        }
        if (heads == 0) {
            throw new IllegalArgumentException("not a DDAMFN checkpoint: no cat_head0.* keys");
        }
        return new DdamfnConfig(fcRows, heads);
    }

    /** Class names in logit order (the authors' lists); generic names for other sizes. */
    public List<String> classNames() {
        List<String> eight = List.of("Neutral", "Happy", "Sad", "Surprise", "Fear", "Disgust", "Angry", "Contempt");
        if (numClass <= 8) {
            return eight.subList(0, numClass);
        }
        return java.util.stream.IntStream.range(0, numClass).mapToObj(i -> "class" + i).toList();
    }
}
