package dev.affect.engine.training.run;

import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawFrame;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames a backbone trains or validates on: every frame of a split's EXPR videos that has an
 * image and a valid label (the paper's curation), in video then frame order.
 *
 * @param images the aligned 112x112 face of each frame
 * @param labels its expression class, 0..7
 */
record FrameSplit(List<Path> images, long[] labels) {

    static FrameSplit open(AbawDataset dataset, AbawSplit split) throws IOException {
        List<Path> images = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (String video : dataset.videos(AbawTask.EXPR, split)) {
            for (AbawFrame f : dataset.frames(AbawTask.EXPR, split, video)) {
                if (!f.invalid() && f.image().isPresent()) {
                    images.add(f.image().get());
                    labels.add((long) f.label()[0]);
                }
            }
        }
        return new FrameSplit(List.copyOf(images), labels.stream().mapToLong(Long::longValue).toArray());
    }

    int size() {
        return labels.length;
    }
}
