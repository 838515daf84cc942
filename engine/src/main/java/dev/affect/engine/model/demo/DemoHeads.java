package dev.affect.engine.model.demo;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Head state_dicts in the layout {@code Head.load} reads: {@code [lstm.*_l0,] fc.*, <task>.*}, in
 * that order, with PyTorch's default initialisation (uniform in +-1/sqrt(fan_in) for Linear,
 * +-1/sqrt(hidden) for every LSTM tensor).
 */
final class DemoHeads {
    /** The embedding width DDAMFN gives. */
    static final int EMBEDDING = 512;
    /** The fc layer's width in both head kinds (fixtures/training/*: Linear(., 512)). */
    static final int FC = 512;

    private DemoHeads() {
    }

    static StateDict lstm(Task task, int hidden, long seed) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        double bound = 1.0 / Math.sqrt(hidden);
        String p = task.key() + ".";
        t.put("lstm.weight_ih_l0", DemoTensors.uniform(Shape.of(4 * hidden, EMBEDDING), bound, seed, p + "lstm.weight_ih_l0"));
        t.put("lstm.weight_hh_l0", DemoTensors.uniform(Shape.of(4 * hidden, hidden), bound, seed, p + "lstm.weight_hh_l0"));
        t.put("lstm.bias_ih_l0", DemoTensors.uniform(Shape.of(4 * hidden), bound, seed, p + "lstm.bias_ih_l0"));
        t.put("lstm.bias_hh_l0", DemoTensors.uniform(Shape.of(4 * hidden), bound, seed, p + "lstm.bias_hh_l0"));
        linear(t, "fc", FC, hidden, seed, p);
        linear(t, task.key(), task.outputSize(), FC, seed, p);
        return new StateDict(t);
    }

    static StateDict fc(Task task, long seed) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        String p = task.key() + ".fc-head.";
        linear(t, "fc", FC, EMBEDDING, seed, p);
        linear(t, task.key(), task.outputSize(), FC, seed, p);
        return new StateDict(t);
    }

    /** nn.Linear(in, out) at {@code name}; streams are named per task and head kind so no two heads share weights. */
    private static void linear(Map<String, Tensor> t, String name, int out, int in, long seed, String stream) {
        double bound = 1.0 / Math.sqrt(in);
        t.put(name + ".weight", DemoTensors.uniform(Shape.of(out, in), bound, seed, stream + name + ".weight"));
        t.put(name + ".bias", DemoTensors.uniform(Shape.of(out), bound, seed, stream + name + ".bias"));
    }
}
