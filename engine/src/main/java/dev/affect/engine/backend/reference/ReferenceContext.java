package dev.affect.engine.backend.reference;

import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.TensorSpec;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Interprets the executable's graph node by node on Java arrays; owns its input and output buffers. */
final class ReferenceContext implements ExecutionContext {
    private final ReferenceExecutable exe;
    private final TensorScope scope = new TensorScope();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean closed;

    ReferenceContext(ReferenceExecutable exe) {
        this.exe = exe;
        for (TensorSpec s : exe.signature().inputs()) {
            buffers.put(s.name(), scope.allocate(s.dtype(), s.shape()));
        }
        for (TensorSpec s : exe.signature().outputs()) {
            buffers.put(s.name(), scope.allocate(s.dtype(), s.shape()));
        }
    }

    @Override
    public void bind(String name, Tensor tensor) {
        requireOpen();
        exe.signature().requireBindable(name, tensor);
        buffers.put(name, tensor);
    }

    @Override
    public Tensor input(String name) {
        exe.signature().input(name);
        return buffers.get(name);
    }

    @Override
    public Tensor output(String name) {
        exe.signature().output(name);
        return buffers.get(name);
    }

    @Override
    public void execute() {
        requireOpen();
        Map<Integer, float[]> values = new HashMap<>();
        for (Value in : exe.graph.inputs()) {
            values.put(in.id(), buffers.get(in.name()).toFloatArray());
        }
        for (Value p : exe.graph.parameters()) {
            values.put(p.id(), exe.parameters.get(p.name()).toFloatArray());
        }
        List<Node> nodes = exe.graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            List<float[]> in = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            for (Value v : n.inputs()) {
                in.add(values.get(v.id()));
                shapes.add(exe.shapes.get(v.id()));
            }
            List<Shape> outShapes = n.outputs().stream().map(v -> exe.shapes.get(v.id())).toList();
            float[][] out = NodeInterpreter.run(n, in, shapes, outShapes);
            for (int k = 0; k < out.length; k++) {
                values.put(n.outputs().get(k).id(), out[k]);
            }
            for (Integer dead : exe.dropAfter.getOrDefault(i, List.of())) {
                values.remove(dead);
            }
        }
        exe.graph.outputs().forEach((name, v) -> write(buffers.get(name), values.get(v.id())));
    }

    private static void write(Tensor target, float[] data) {
        if (target.dtype() == dev.affect.engine.tensor.DType.F32) {
            target.copyFrom(data);
            return;
        }
        for (int i = 0; i < data.length; i++) {
            target.setFloat(i, data[i]);
        }
    }

    @Override
    public Map<String, Tensor> copyOutputs() {
        return ExecutionContext.copies(exe.signature(), this);
    }

    private void requireOpen() {
        if (closed || exe.isClosed()) {
            throw new IllegalStateException(closed ? "execution context is closed" : "executable is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            scope.close();
        }
    }
}
