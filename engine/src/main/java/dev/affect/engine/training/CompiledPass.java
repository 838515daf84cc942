package dev.affect.engine.training;

import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.TensorSpec;
import dev.affect.engine.graph.autograd.TrainingGraphs;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.Map;

/**
 * The forward and backward executables of one input signature with a context each. The values the
 * backward reads from the forward (saved activations, inputs) live in tensors of this pass bound
 * into both contexts, so nothing is copied between them.
 */
final class CompiledPass implements AutoCloseable {
    private final Executable forward;
    private final Executable backward;
    final ExecutionContext forwardContext;
    final ExecutionContext backwardContext;
    private final TensorScope shared = new TensorScope();

    CompiledPass(PreparedModel forwardModel, PreparedModel backwardModel, TrainingGraphs graphs, Map<String, Shape> inputShapes) {
        forward = forwardModel.compile(inputShapes);
        forwardContext = forward.newContext();
        Map<String, Shape> backwardShapes = new java.util.LinkedHashMap<>();
        for (var in : graphs.backward().inputs()) {
            TensorSpec spec = forward.signature().find(in.name());
            if (spec != null) {
                backwardShapes.put(in.name(), spec.shape());
            } else {
                // a seed grad:<output> has its output's shape
                String output = in.name().substring(dev.affect.engine.graph.autograd.Autograd.GRAD_PREFIX.length());
                backwardShapes.put(in.name(), forward.signature().output(output).shape());
            }
        }
        backward = backwardModel.compile(backwardShapes);
        backwardContext = backward.newContext();
        for (String name : graphs.saved()) {
            share(name);
        }
        for (String name : graphs.inputs()) {
            share(name);
        }
    }

    private void share(String name) {
        TensorSpec spec = forward.signature().find(name);
        Tensor t = shared.allocate(spec.dtype(), spec.shape());
        forwardContext.bind(name, t);
        backwardContext.bind(name, t);
    }

    @Override
    public void close() {
        backwardContext.close();
        forwardContext.close();
        backward.close();
        forward.close();
        shared.close();
    }
}
