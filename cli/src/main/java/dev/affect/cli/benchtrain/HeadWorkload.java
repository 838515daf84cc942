package dev.affect.cli.benchtrain;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.model.heads.HeadTrainingGraphs;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.FrameTargets;
import dev.affect.engine.training.HeadObjective;
import dev.affect.engine.training.TrainingStep;
import dev.affect.engine.training.optim.Adam;
import java.util.Map;
import java.util.Random;

/**
 * Head training on cached embeddings: a fresh FC or LSTM head, Adam (lr 1e-3) on the task's loss,
 * one step per batch of B windows of T embeddings [B, T, 512].
 */
final class HeadWorkload implements Workload {
    static final double LEARNING_RATE = 1e-3;

    private final WorkloadKey key;
    private final int frames;
    private final ParameterStore store;
    private final TrainingStep<FrameTargets> step;
    private final Map<String, Tensor> inputs;
    private final FrameTargets targets;

    private HeadWorkload(WorkloadKey key, int frames, ParameterStore store, TrainingStep<FrameTargets> step,
            Map<String, Tensor> inputs, FrameTargets targets) {
        this.key = key;
        this.frames = frames;
        this.store = store;
        this.step = step;
        this.inputs = inputs;
        this.targets = targets;
    }

    static HeadWorkload create(String kind, Task task, int windows, int window, Backend backend, long seed) {
        Graph graph = switch (kind) {
            case "fc" -> HeadTrainingGraphs.fc(task, window);
            case "lstm" -> HeadTrainingGraphs.lstm(task, window);
            default -> throw new IllegalArgumentException("unknown head kind " + kind);
        };
        Random rng = new Random(seed);
        ParameterStore store = HeadInitialWeights.draw(graph, rng);
        try {
            Tensor x = RandomBatches.normal(rng, windows, window, HeadTrainingGraphs.EMBEDDING);
            FrameTargets targets = FrameTargets.unmasked(RandomBatches.targets(task, rng, windows * window));
            TrainingStep<FrameTargets> step = TrainingStep.prepare(graph, backend, store, HeadObjective.forTask(task),
                    Adam.of(LEARNING_RATE));
            return new HeadWorkload(WorkloadKey.head(kind, task.key()), windows * window, store, step,
                    Map.of(HeadTrainingGraphs.X, x), targets);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public WorkloadKey key() {
        return key;
    }

    @Override
    public int framesPerStep() {
        return frames;
    }

    @Override
    public void step() {
        step.step(inputs, targets);
    }

    @Override
    public void close() {
        step.close();
        store.close();
    }
}
