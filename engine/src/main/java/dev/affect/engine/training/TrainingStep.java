package dev.affect.engine.training;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.graph.autograd.Autograd;
import dev.affect.engine.graph.autograd.TrainingGraphs;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.optim.Optimizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One model's training update on a backend: forward pass, loss on the host, backward pass,
 * optimiser update of the parameters in the store. The graph is differentiated once; forward and
 * backward are compiled once per set of input shapes and reused.
 *
 * <p>Inputs are fed by graph input name. A state input left out (an LSTM's h0, c0) starts at zero.
 * A forward output named like a parameter that is not trained (a training BatchNorm's
 * {@code <bn>.running_mean} and {@code <bn>.running_var}) is that parameter's new value: every
 * gradient evaluation writes it back into the store, as torch's train-mode forward updates its
 * buffers (twice per step under SAM, like torch). Not thread-safe; the store must not be read by
 * other executions while a step runs.
 *
 * @param <T> the objective's targets
 */
public final class TrainingStep<T> implements AutoCloseable {
    private final Graph graph;
    private final ParameterStore store;
    private final List<String> trainable;
    private final Objective<T> objective;
    private final Optimizer optimizer;
    private final TrainingGraphs graphs;
    private final PreparedModel forwardModel;
    private final PreparedModel backwardModel;
    private final List<String> runningStatistics;
    private final Map<Map<String, Shape>, CompiledPass> passes = new HashMap<>();

    private TrainingStep(Graph graph, Backend backend, ParameterStore store, List<String> trainable, Objective<T> objective,
            Optimizer optimizer) {
        this.graph = graph;
        this.store = store;
        this.trainable = List.copyOf(trainable);
        this.objective = objective;
        this.optimizer = optimizer;
        store.requireFor(graph);
        this.graphs = Autograd.differentiate(graph, objective.seededOutputs(), this.trainable);
        this.runningStatistics = runningStatistics(graph, this.trainable);
        PreparedModel f = backend.prepare(graphs.forward(), store);
        try {
            this.backwardModel = backend.prepare(graphs.backward(), store);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        this.forwardModel = f;
    }

    /**
     * Prepares training of the named parameters (the others stay fixed).
     *
     * @throws IllegalArgumentException when a name is not a parameter of the graph or no gradient reaches it
     */
    public static <T> TrainingStep<T> prepare(Graph graph, Backend backend, ParameterStore store, List<String> trainable,
            Objective<T> objective, Optimizer optimizer) {
        Set<String> params = new HashSet<>();
        graph.parameters().forEach(p -> params.add(p.name()));
        for (String name : trainable) {
            if (!params.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a parameter of the graph");
            }
        }
        return new TrainingStep<>(graph, backend, store, trainable, objective, optimizer);
    }

    /** Prepares training of every parameter a gradient reaches (full fine-tuning; running statistics excluded). */
    public static <T> TrainingStep<T> prepare(Graph graph, Backend backend, ParameterStore store, Objective<T> objective,
            Optimizer optimizer) {
        return prepare(graph, backend, store, Autograd.trainableParameters(graph, objective.seededOutputs()), objective,
                optimizer);
    }

    public List<String> trainable() {
        return trainable;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The differentiated graphs (for descriptions and tests). */
    public TrainingGraphs graphs() {
        return graphs;
    }

    /** Forward, loss, backward and one optimiser update; nothing changes when the batch has no valid frame. */
    public StepResult step(Map<String, Tensor> inputs, T targets) {
        Gradients g = gradients(inputs, targets);
        if (g.frames() == 0) {
            return new StepResult(g.loss(), 0);
        }
        optimizer.step(store, g.byParameter(), () -> gradients(inputs, targets).byParameter());
        return new StepResult(g.loss(), g.frames());
    }

    /**
     * The loss and the gradients of the trainable parameters at the store's current values, without
     * an update; running statistics are written back as in a step.
     */
    public Gradients gradients(Map<String, Tensor> inputs, T targets) {
        CompiledPass pass = forward(inputs);
        ObjectiveValue value = objective.evaluate(outputs(pass.forwardContext), targets);
        if (value.frames() == 0) {
            return new Gradients(value.loss(), 0, Map.of());
        }
        ExecutionContext backward = pass.backwardContext;
        for (String output : objective.seededOutputs()) {
            float[] seed = value.seeds().get(output);
            if (seed == null) {
                throw new IllegalStateException("the objective gave no gradient for its seeded output '" + output + "'");
            }
            backward.input(Autograd.grad(output)).copyFrom(seed);
        }
        backward.execute();
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (String p : trainable) {
            grads.put(p, backward.output(Autograd.grad(p)).toFloatArray());
        }
        writeRunningStatistics(pass.forwardContext);
        return new Gradients(value.loss(), value.frames(), grads);
    }

    /** The loss at the store's current values, forward only; the store is left unchanged. */
    public ObjectiveValue evaluate(Map<String, Tensor> inputs, T targets) {
        CompiledPass pass = forward(inputs);
        return objective.evaluate(outputs(pass.forwardContext), targets);
    }

    /** The forward pass's outputs by name after {@link #forward} (views, valid until the next pass). */
    private Map<String, Tensor> outputs(ExecutionContext forward) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : graph.outputs().keySet()) {
            out.put(name, forward.output(name));
        }
        return out;
    }

    private CompiledPass forward(Map<String, Tensor> inputs) {
        for (String name : inputs.keySet()) {
            graph.input(name); // an unknown name is the caller's error, named
        }
        int batch = graph.batchSize(shapesOf(inputs));
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Value in : graph.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null && in.kind() != Value.Kind.STATE) {
                throw new InvalidInputException(in.name(), "missing training input of type " + in.type());
            }
            shapes.put(in.name(), t != null ? t.shape() : in.type().resolve(batch));
        }
        CompiledPass pass = passes.get(shapes);
        if (pass == null) {
            pass = new CompiledPass(forwardModel, backwardModel, graphs, shapes);
            passes.put(Map.copyOf(shapes), pass);
        }
        ExecutionContext ctx = pass.forwardContext;
        for (Value in : graph.inputs()) {
            Tensor t = inputs.get(in.name());
            Tensor buffer = ctx.input(in.name());
            if (t != null) {
                buffer.copyFrom(t);
            } else {
                buffer.copyFrom(new float[Math.toIntExact(buffer.numel())]);
            }
        }
        ctx.execute();
        return pass;
    }

    private static Map<String, Shape> shapesOf(Map<String, Tensor> inputs) {
        Map<String, Shape> s = new HashMap<>();
        inputs.forEach((k, v) -> s.put(k, v.shape()));
        return s;
    }

    private void writeRunningStatistics(ExecutionContext forward) {
        for (String name : runningStatistics) {
            store.update(name, forward.output(name));
        }
    }

    /** Outputs that carry a new value of a parameter nobody trains. */
    private static List<String> runningStatistics(Graph graph, List<String> trainable) {
        Set<String> trained = Set.copyOf(trainable);
        Set<String> params = new HashSet<>();
        graph.parameters().forEach(p -> params.add(p.name()));
        return graph.outputs().keySet().stream().filter(o -> params.contains(o) && !trained.contains(o)).toList();
    }

    @Override
    public void close() {
        passes.values().forEach(CompiledPass::close);
        passes.clear();
        backwardModel.close();
        forwardModel.close();
    }
}
