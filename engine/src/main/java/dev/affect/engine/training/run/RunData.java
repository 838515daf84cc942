package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.cache.EmbeddingCache;
import dev.affect.engine.training.data.Tail;
import dev.affect.engine.training.data.WindowedSplit;
import java.io.IOException;

/**
 * The windows a run reads: the training split cut by the config's window (tail aligned to each
 * video's end) and the validation split tiled (every frame once), both from one backbone's cache.
 * The validation split is the release's own, or training videos the config holds out.
 */
public record RunData(WindowedSplit train, WindowedSplit validation, String backboneHash) {

    public static RunData open(AbawDataset release, EmbeddingCache cache, RunConfig config) throws IOException {
        AbawDataset dataset = config.view(release);
        WindowedSplit train = WindowedSplit.open(dataset, cache, config.task(), AbawSplit.TRAIN, config.window(),
                Tail.ALIGN_END);
        if (train.size() == 0) {
            throw new InvalidInputException("data", "no " + config.task() + " training windows with a valid label in "
                    + dataset.annotationFolder(config.task(), AbawSplit.TRAIN));
        }
        WindowedSplit validation = WindowedSplit.open(dataset, cache, config.task(), config.validation(),
                config.window().tiling(), Tail.PAD);
        if (validation.size() == 0) {
            throw new InvalidInputException("validation_split", "no " + config.task() + " frames with a valid label in "
                    + dataset.annotationFolder(config.task(), config.validation()));
        }
        return new RunData(train, validation, cache.backboneHash());
    }
}
