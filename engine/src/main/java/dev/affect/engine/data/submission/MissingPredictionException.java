package dev.affect.engine.data.submission;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The sample file lists a video that has no usable prediction file: no {@code <video>.txt} in the
 * predictions folder, or one without a single valid frame to fill the listed frames from.
 */
public class MissingPredictionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String video;

    public MissingPredictionException(String video, String message) {
        super(message);
        this.video = video;
    }

    /** The (first) video concerned. */
    public String video() {
        return video;
    }
}
