package dev.affect.engine.training.run;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.model.heads.HeadTrainingGraphs;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.FrameTargets;
import dev.affect.engine.training.HeadObjective;
import dev.affect.engine.training.TrainingStep;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.loss.FrameMask;
import dev.affect.engine.training.optim.LearningRate;
import dev.affect.engine.training.optim.Optimizer;
import dev.affect.engine.training.optim.OptimizerState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An FC or LSTM head trained by the training core: {@link HeadTrainingGraphs} over windows,
 * {@link TrainingStep} with the task's {@link HeadObjective} and the config's optimiser, on a backend.
 * Initial weights are the seeded generator of {@link DemoWeights} at the config's seed (torch-like
 * scales); predictions run the same graph forward on the same parameter store, so they always see the
 * latest update.
 */
public final class GraphTrainableHead implements TrainableHead {
    private final Graph graph;
    private final ParameterStore store;
    private final List<String> names;
    private final Optimizer optimizer;
    private final TrainingStep<FrameTargets> training;
    private final PreparedModel inference;
    private final Map<Integer, Executable> executables = new HashMap<>();
    private final Map<Integer, ExecutionContext> contexts = new HashMap<>();

    private GraphTrainableHead(RunConfig config, Backend backend, LearningRate rate) {
        if (config.head() == HeadKind.BACKBONE) {
            throw new IllegalArgumentException("a backbone is fine-tuned by BackboneTrainingRun, not as a head");
        }
        Task task = headTask(config.task());
        int window = config.window().length();
        StateDict initial = config.head() == HeadKind.LSTM ? DemoWeights.lstmHead(task, config.seed())
                : DemoWeights.fcHead(task, config.seed());
        this.graph = config.head() == HeadKind.LSTM ? HeadTrainingGraphs.lstm(task, window) : HeadTrainingGraphs.fc(task, window);
        this.names = List.copyOf(initial.names());
        this.store = ParameterStore.copyOf(initial.asMap());
        this.optimizer = Optimizers.of(config, rate);
        try {
            this.training = TrainingStep.prepare(graph, backend, store, names, HeadObjective.forTask(task), optimizer);
            this.inference = backend.prepare(graph, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Heads on {@code backend}, which must stay open while they are used. */
    public static TrainableHead.Factory on(Backend backend) {
        return (config, inputWidth, rate) -> {
            if (inputWidth != HeadTrainingGraphs.EMBEDDING) {
                throw new IllegalArgumentException("heads take " + HeadTrainingGraphs.EMBEDDING
                        + "-wide embeddings, the data has " + inputWidth);
            }
            return new GraphTrainableHead(config, backend, rate);
        };
    }

    static Task headTask(AbawTask task) {
        return Task.valueOf(task.name());
    }

    @Override
    public double step(WindowBatch batch) {
        return training.step(Map.of(HeadTrainingGraphs.X, batch.embeddings()), targets(batch)).loss();
    }

    private static FrameTargets targets(WindowBatch batch) {
        float[] labels = batch.labels();
        Tensor t;
        if (batch.task() == AbawTask.EXPR) {
            long[] classes = new long[labels.length];
            for (int i = 0; i < labels.length; i++) {
                classes[i] = (long) labels[i];
            }
            t = Tensor.ofLongs(classes, classes.length);
        } else {
            t = Tensor.of(labels, batch.rows(), batch.labelWidth());
        }
        float[] mask = batch.mask();
        boolean[] valid = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            valid[i] = mask[i] != 0;
        }
        return new FrameTargets(t, FrameMask.of(valid));
    }

    @Override
    public float[] predict(WindowBatch batch) {
        int b = batch.windows();
        ExecutionContext ctx = contexts.computeIfAbsent(b, this::context);
        for (Value in : graph.inputs()) {
            Tensor buffer = ctx.input(in.name());
            if (in.name().equals(HeadTrainingGraphs.X)) {
                buffer.copyFrom(batch.embeddings());
            } else {
                buffer.copyFrom(new float[Math.toIntExact(buffer.numel())]); // LSTM h0 = c0 = 0 per window
            }
        }
        ctx.execute();
        return ctx.output(HeadTrainingGraphs.VALUE).toFloatArray();
    }

    private ExecutionContext context(int windows) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Value in : graph.inputs()) {
            shapes.put(in.name(), in.type().resolve(windows));
        }
        Executable e = inference.compile(shapes);
        executables.put(windows, e);
        return e.newContext();
    }

    @Override
    public StateDict weights() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        for (String name : names) {
            copy.put(name, Tensor.copyOf(store.get(name)));
        }
        return new StateDict(copy);
    }

    @Override
    public StateDict optimizerState() {
        return optimizer.state().toStateDict();
    }

    @Override
    public void restore(StateDict weights, StateDict optimizerState) {
        for (String name : names) {
            store.update(name, Tensor.copyOf(weights.get(name)));
        }
        optimizer.restore(OptimizerState.fromStateDict(optimizerState));
    }

    @Override
    public void close() {
        contexts.values().forEach(ExecutionContext::close);
        executables.values().forEach(Executable::close);
        inference.close();
        training.close();
        store.close();
    }
}
