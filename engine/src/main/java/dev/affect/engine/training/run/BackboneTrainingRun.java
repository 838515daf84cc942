package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.training.optim.LearningRate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Fine-tunes the whole DDAMFN on an ABAW release's EXPR frames ({@link TrainableBackbone}) through
 * the {@link EpochLoop}: frames shuffled per epoch, validation F1 on the config's split, an atomic
 * checkpoint per epoch, the best epoch's network in {@code backbone.safetensors}, which serves,
 * embeds and trains heads like any DDAMFN checkpoint. Resumable like {@link HeadTrainingRun}.
 */
public final class BackboneTrainingRun {
    private BackboneTrainingRun() {
    }

    /**
     * Starts a run in {@code out} (absent or empty) from {@code checkpoint} (a DDAMFN state_dict; a
     * 7-class one gets an 8-way classifier) and trains it to the end on {@code backend}.
     */
    public static RunResult start(Path out, RunConfig config, AbawDataset dataset, StateDict checkpoint, Backend backend,
            FacePreprocessor faces, RunListener listener, BooleanSupplier cancelled) throws IOException {
        requireBackbone(config);
        RunDirectory dir = new RunDirectory(out, RunDirectory.BACKBONE);
        Open open = Open.of(config, dataset, checkpoint, backend, faces);
        try (TrainableBackbone trainee = open.trainee) {
            dir.create(new RunDirectory.Manifest(config, trainee.initialHash()));
            return EpochLoop.run(dir, config, trainee, open.rate, listener, cancelled);
        }
    }

    /** Continues the run in {@code out} from its last checkpoint; {@code checkpoint} must be the one it started from. */
    public static RunResult resume(Path out, AbawDataset dataset, StateDict checkpoint, Backend backend,
            FacePreprocessor faces, RunListener listener, BooleanSupplier cancelled) throws IOException {
        RunDirectory dir = new RunDirectory(out, RunDirectory.BACKBONE);
        RunDirectory.Manifest manifest = dir.manifest();
        RunConfig config = manifest.config();
        requireBackbone(config);
        Open open = Open.of(config, dataset, checkpoint, backend, faces);
        try (TrainableBackbone trainee = open.trainee) {
            if (!manifest.backboneHash().equals(trainee.initialHash())) {
                throw new InvalidInputException("checkpoint", "the run in " + out + " started from backbone "
                        + manifest.backboneHash() + ", this checkpoint is " + trainee.initialHash());
            }
            return EpochLoop.run(dir, config, trainee, open.rate, listener, cancelled);
        }
    }

    private static void requireBackbone(RunConfig config) {
        if (config.head() != HeadKind.BACKBONE) {
            throw new IllegalArgumentException("a " + config.head().label() + " head trains with HeadTrainingRun");
        }
    }

    private record Open(TrainableBackbone trainee, LearningRate rate) {
        static Open of(RunConfig config, AbawDataset release, StateDict checkpoint, Backend backend,
                FacePreprocessor faces) throws IOException {
            AbawDataset dataset = config.view(release);
            FrameSplit train = FrameSplit.open(dataset, AbawSplit.TRAIN);
            FrameSplit validation = FrameSplit.open(dataset, config.validation());
            if (validation.size() == 0) {
                throw new InvalidInputException("validation_split", "no EXPR frames with a valid label and an image in "
                        + dataset.annotationFolder(config.task(), config.validation()));
            }
            LearningRate rate = EpochLoop.rate(config, train.size());
            return new Open(new TrainableBackbone(EightWayClassifier.of(checkpoint, config.seed()), backend, config, rate,
                    train, validation, faces), rate);
        }
    }
}
