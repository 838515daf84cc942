package dev.affect.cli.benchtrain;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.DdamfnObjective;
import dev.affect.engine.training.FrameTargets;
import dev.affect.engine.training.TrainingStep;
import dev.affect.engine.training.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A full DDAMFN fine-tuning step as the authors train it: train-mode BatchNorm, CE + 0.1 *
 * attention diversity, Adam (lr 1e-4, their original DDAMFN script), on N random 112x112 images.
 */
final class DdamfnWorkload implements Workload {
    static final double LEARNING_RATE = 1e-4;
    /** The smallest batch a train-mode model compiles; the step compiles its own at the real batch. */
    private static final int LOAD_BUCKET = 2;

    private final Ddamfn model;
    private final TrainingStep<FrameTargets> step;
    private final Map<String, Tensor> inputs;
    private final FrameTargets targets;
    private final int batch;

    private DdamfnWorkload(Ddamfn model, TrainingStep<FrameTargets> step, Map<String, Tensor> inputs, FrameTargets targets,
            int batch) {
        this.model = model;
        this.step = step;
        this.inputs = inputs;
        this.targets = targets;
        this.batch = batch;
    }

    /** Loads {@code checkpoint} for training (key checks as for serving); its store is what the step updates. */
    static DdamfnWorkload create(Path checkpoint, int batch, Backend backend, long seed) throws IOException {
        Ddamfn model = Ddamfn.load(checkpoint, backend, Ddamfn.Options.training(LOAD_BUCKET).withWorkers(1));
        try {
            DdamfnConfig cfg = model.config();
            Random rng = new Random(seed);
            Tensor images = RandomBatches.normal(rng, DdamfnNetwork.inputShape(batch).dims());
            FrameTargets labels = FrameTargets.unmasked(RandomBatches.classes(rng, batch, cfg.numClass()));
            TrainingStep<FrameTargets> step = TrainingStep.prepare(model.graph(), backend, model.parameters(),
                    DdamfnObjective.authors(cfg.numClass(), cfg.numHead()), Adam.of(LEARNING_RATE));
            return new DdamfnWorkload(model, step, Map.of(DdamfnNetwork.INPUT, images), labels, batch);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public WorkloadKey key() {
        return WorkloadKey.ddamfn();
    }

    @Override
    public int framesPerStep() {
        return batch;
    }

    @Override
    public void step() {
        step.step(inputs, targets);
    }

    @Override
    public void close() {
        step.close();
        model.close();
    }
}
