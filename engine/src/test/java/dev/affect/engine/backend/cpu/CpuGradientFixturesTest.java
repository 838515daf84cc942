package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GradientRuns.assertFixture;
import static dev.affect.engine.backend.cpu.GradientRuns.npy;
import static dev.affect.engine.backend.cpu.GradientRuns.runTwice;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.ActivationBackward;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.BatchNormTrainingBackward;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Conv2dBackwardData;
import dev.affect.engine.graph.Conv2dBackwardWeights;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.LinearBackward;
import dev.affect.engine.graph.LstmBackward;
import dev.affect.engine.graph.PReluBackward;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.SoftmaxBackward;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cpu backend's backward ops against torch.autograd's gradients in fixtures/training/ops,
 * within the fixtures' tolerance (|a - b| <= 1e-5 + 1e-4 |b|); every executable runs twice.
 */
class CpuGradientFixturesTest {

    @BeforeEach
    void needsCpu() {
        RequiredBackend.require("cpu");
    }

    private static Path op(String name) {
        return SharedFixtures.dir("training/ops").resolve(name);
    }

    /** Graph inputs and parameters named after their fixture files. */
    private static final class Case implements AutoCloseable {
        final Path dir;
        final GraphBuilder g = new GraphBuilder();
        final ParameterStore store = new ParameterStore();
        final Map<String, Tensor> inputs = new LinkedHashMap<>();

        Case(String op) {
            dir = op(op);
        }

        Value input(String file) {
            Tensor t = npy(dir, file);
            inputs.put(file, t);
            return g.input(file, TensorType.of(t.dtype(), t.shape()));
        }

        Value param(String file) {
            Tensor t = npy(dir, file);
            store.put(file, t);
            return g.parameter(file, t.shape());
        }

        /** Runs the graph and checks every output against the fixture file of the same name. */
        void check() {
            Map<String, Tensor> out = runTwice(g.build(), store, inputs);
            out.forEach((name, t) -> assertFixture(npy(dir, name), t, dir.getFileName() + " " + name));
        }

        @Override
        public void close() {
            store.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"conv2d_s2p1, 1, true", "conv2d_depthwise_s2p1, 4, false"})
    void convolution(String fixture, int groups, boolean bias) {
        try (Case c = new Case(fixture)) {
            Conv2d conv = Conv2d.of(2, 1, groups, bias);
            Value x = c.input("x");
            Value gy = c.input("gy");
            Value w = c.param("w");
            c.g.output("gx", c.g.add(new Conv2dBackwardData(conv), "gx", gy, w, x));
            List<Value> gw = c.g.addMulti(new Conv2dBackwardWeights(conv), bias ? List.of("gw", "gb") : List.of("gw"), x, gy, w);
            c.g.output("gw", gw.get(0));
            if (bias) {
                c.g.output("gb", gw.get(1));
            }
            c.check();
        }
    }

    /** The forward's batch statistics feed the backward, as autograd wires them. */
    @Test
    void batchNormTraining() {
        try (Case c = new Case("batchnorm2d_train")) {
            Value x = c.input("x");
            Value w = c.param("w");
            List<Value> fwd = c.g.addMulti(BatchNormTraining.defaults(), List.of("y", "rm", "rv", "mean", "var"), x,
                    c.param("running_mean_in"), c.param("running_var_in"), w, c.param("b"));
            List<Value> bwd = c.g.addMulti(new BatchNormTrainingBackward(1e-5f), List.of("gx", "gw", "gb"), x, c.input("gy"),
                    fwd.get(BatchNormTraining.BATCH_MEAN), fwd.get(BatchNormTraining.BATCH_VAR), w);
            c.g.output("y", fwd.get(BatchNormTraining.Y));
            c.g.output("gx", bwd.get(0)).output("gw", bwd.get(1)).output("gb", bwd.get(2));
            c.check();
        }
    }

    @ParameterizedTest
    @CsvSource({"sigmoid, SIGMOID", "tanh, TANH", "h_swish, HSWISH"})
    void activation(String fixture, Activation.Kind kind) {
        try (Case c = new Case(fixture)) {
            c.g.output("gx", c.g.add(new ActivationBackward(Activation.of(kind)), "gx", c.input("x"), c.input("gy")));
            c.check();
        }
    }

    @Test
    void prelu() {
        try (Case c = new Case("prelu")) {
            List<Value> g = c.g.addMulti(new PReluBackward(), List.of("gx", "gw"), c.input("x"), c.param("w"), c.input("gy"));
            c.g.output("gx", g.get(0)).output("gw", g.get(1));
            c.check();
        }
    }

    @Test
    void softmax() {
        try (Case c = new Case("softmax")) {
            c.g.output("gx", c.g.add(new SoftmaxBackward(-1), "gx", c.input("y"), c.input("gy")));
            c.check();
        }
    }

    @Test
    void linear() {
        try (Case c = new Case("linear")) {
            List<Value> g = c.g.addMulti(new LinearBackward(true), List.of("gx", "gw", "gb"), c.input("x"), c.param("w"),
                    c.input("gy"));
            c.g.output("gx", g.get(0)).output("gw", g.get(1)).output("gb", g.get(2));
            c.check();
        }
    }

    /** Only the sequence output carries a gradient (8 inputs); h0 = c0 = 0. */
    @Test
    void lstm() {
        try (Case c = new Case("lstm")) {
            Value x = c.input("x");
            Tensor xs = c.inputs.get("x");
            int hidden = (int) npy(c.dir, "weight_hh_l0").shape().dim(1);
            Tensor zeros = Tensor.zeros(xs.dtype(), dev.affect.engine.tensor.Shape.of(xs.shape().dim(0), hidden));
            c.inputs.put("h0", zeros);
            c.inputs.put("c0", zeros);
            Value h0 = c.g.input("h0", TensorType.of(zeros.dtype(), zeros.shape()));
            Value c0 = c.g.input("c0", TensorType.of(zeros.dtype(), zeros.shape()));
            List<Value> g = c.g.addMulti(new LstmBackward(), List.of("gx", "gh0", "gc0", "g_weight_ih_l0", "g_weight_hh_l0",
                    "g_bias_ih_l0", "g_bias_hh_l0"), x, h0, c0, c.param("weight_ih_l0"), c.param("weight_hh_l0"),
                    c.param("bias_ih_l0"), c.param("bias_hh_l0"), c.input("gy"));
            for (int i : new int[] {0, 3, 4, 5, 6}) {
                c.g.output(g.get(i).name(), g.get(i));
            }
            c.check();
        }
    }
}
