package dev.affect.engine.data.abaw;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One annotated frame: its video (or subject), 1-based index, label as in the file (invalid
 * markers included) and its aligned face image, absent when no face was detected there.
 *
 * @param label owned by this frame (a fresh copy from {@link AnnotationFile#label}); do not share it
 */
public record AbawFrame(AbawTask task, String video, int index, float[] label, Optional<Path> image) {

    /** Whether the label carries the task's invalid marker. */
    public boolean invalid() {
        return task.isInvalid(label);
    }
}
