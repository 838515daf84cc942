package dev.affect.engine.training.run;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.DdamfnObjective;
import dev.affect.engine.training.FrameTargets;
import dev.affect.engine.training.TrainingStep;
import dev.affect.engine.training.optim.LearningRate;
import dev.affect.engine.training.optim.Optimizer;
import dev.affect.engine.training.optim.OptimizerState;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The whole DDAMFN fine-tuned on frames as its authors train it: train-mode BatchNorm (running
 * statistics updated), CE + 0.1 x attention diversity, the config's optimiser. Validation builds a
 * serving model from the current weights (BatchNorm on the running statistics, as it will serve) and
 * scores its argmax with the EXPR metrics.
 *
 * <p>Every step has the config's batch size, so train-mode BatchNorm always sees full batches and
 * one executable serves the run: the epoch's last, short batch is topped up with the epoch's first
 * frames (torch's drop_last would instead never show the rest of the frames in that epoch).
 */
final class TrainableBackbone implements Trainee {
    /** The train-mode model's own executables are never run (the step compiles its own); the smallest size keeps them cheap. */
    private static final int UNUSED_BUCKET = 2;
    static final int VALIDATION_BATCH = 32;

    private final StateDict initial;
    private final Ddamfn model;
    private final Backend backend;
    private final Optimizer optimizer;
    private final TrainingStep<FrameTargets> training;
    private final FrameSplit train;
    private final FrameSplit validation;
    private final FacePreprocessor faces;
    private final int batch;
    private final Map<Integer, Tensor> images = new HashMap<>();

    /**
     * @param checkpoint the DDAMFN to start from, 8 classes (see {@link EightWayClassifier})
     * @throws dev.affect.engine.InvalidInputException when it is not a DDAMFN checkpoint
     */
    TrainableBackbone(StateDict checkpoint, Backend backend, RunConfig config, LearningRate rate, FrameSplit train,
            FrameSplit validation, FacePreprocessor faces) {
        if (train.size() < 2) {
            throw new dev.affect.engine.InvalidInputException("data", "train-mode BatchNorm needs at least 2 training"
                    + " frames with a valid EXPR label, found " + train.size());
        }
        this.initial = checkpoint;
        this.backend = backend;
        this.train = train;
        this.validation = validation;
        this.faces = faces;
        // a batch of 1 has no BatchNorm statistics; a set smaller than the batch is one batch of all of it
        this.batch = Math.max(2, Math.min(config.batch(), train.size()));
        this.model = Ddamfn.create(checkpoint, backend, Ddamfn.Options.training(UNUSED_BUCKET).withWorkers(1));
        try {
            DdamfnConfig cfg = model.config();
            this.optimizer = Optimizers.of(config, rate);
            this.training = TrainingStep.prepare(model.graph(), backend, model.parameters(),
                    DdamfnObjective.authors(cfg.numClass(), cfg.numHead()), optimizer);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A fingerprint of the starting weights, which a resumed run must start from too. */
    String initialHash() {
        return dev.affect.engine.data.cache.BackboneHash.of(model.parameters());
    }

    @Override
    public int size() {
        return train.size();
    }

    @Override
    public double step(int[] order, int from, int to) throws IOException {
        Tensor input = images.computeIfAbsent(batch, b -> Tensor.zeros(DdamfnNetwork.inputShape(b)));
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            int frame = from + i < to ? order[from + i] : order[(from + i - to) % order.length];
            faces.writeInto(input, i, train.images().get(frame));
            labels[i] = train.labels()[frame];
        }
        return training.step(Map.of(DdamfnNetwork.INPUT, input), FrameTargets.unmasked(Tensor.ofLongs(labels, batch)))
                .loss();
    }

    @Override
    public Validation.Scores validate() throws IOException {
        long[] predicted = new long[validation.size()];
        int classes = model.config().numClass();
        Ddamfn.Options serving = Ddamfn.Options.serving().withBuckets(BatchBuckets.of(VALIDATION_BATCH))
                .withOutputs(List.of(DdamfnNetwork.LOGITS));
        try (Ddamfn eval = Ddamfn.create(weights(), backend, serving)) {
            for (int from = 0; from < predicted.length; from += VALIDATION_BATCH) {
                int n = Math.min(VALIDATION_BATCH, predicted.length - from);
                Tensor input = Tensor.zeros(DdamfnNetwork.inputShape(n));
                for (int i = 0; i < n; i++) {
                    faces.writeInto(input, i, validation.images().get(from + i));
                }
                float[] logits = eval.run(input, List.of(DdamfnNetwork.LOGITS)).get(DdamfnNetwork.LOGITS).toFloatArray();
                long[] best = Validation.argmax(logits, classes);
                System.arraycopy(best, 0, predicted, from, n);
            }
        }
        ExprMetrics expr = ExprMetrics.of(predicted, validation.labels());
        SequencedMap<String, Double> m = new LinkedHashMap<>();
        m.put(Metric.F1_EXPR.key(), expr.f1Macro());
        m.put(Metric.ACCURACY_EXPR.key(), expr.accuracy());
        return new Validation.Scores(m, new double[0]);
    }

    /** The full checkpoint: the trained tensors and running statistics from the store, the rest as loaded. */
    @Override
    public StateDict weights() {
        ParameterStore store = model.parameters();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : initial.names()) {
            out.put(k, Tensor.copyOf(store.contains(k) ? store.get(k) : initial.get(k)));
        }
        return new StateDict(out);
    }

    @Override
    public StateDict optimizerState() {
        return optimizer.state().toStateDict();
    }

    @Override
    public void restore(StateDict weights, StateDict optimizerState) {
        ParameterStore store = model.parameters();
        for (String k : weights.names()) {
            if (store.contains(k)) {
                store.update(k, Tensor.copyOf(weights.get(k)));
            }
        }
        optimizer.restore(OptimizerState.fromStateDict(optimizerState));
    }

    @Override
    public void close() {
        images.clear();
        training.close();
        model.close();
    }
}
