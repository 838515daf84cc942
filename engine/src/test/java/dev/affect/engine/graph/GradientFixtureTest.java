package dev.affect.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference backend's forward and backward ops against torch.autograd's gradients in
 * fixtures/training/ops, within that README's tolerance |a-b| <= 1e-5 + 1e-4*|b|.
 */
class GradientFixtureTest {

    /** One fixture folder: reads its .npy files by name. */
    private record Folder(Path dir) {
        static Folder of(String op) {
            return new Folder(SharedFixtures.dir("training/ops/" + op));
        }

        Tensor get(String name) {
            try {
                return NpyReader.read(dir.resolve(name + ".npy"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Compares {@code actual} with file {@code name}, element by element (shapes may differ by unit axes). */
        void check(String name, Tensor actual) {
            Tensor expected = get(name);
            assertEquals(expected.numel(), actual.numel(), name + ": " + actual.shape() + " vs " + expected.shape());
            float[] a = actual.toFloatArray();
            float[] b = expected.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                double bound = 1e-5 + 1e-4 * Math.abs(b[i]);
                if (!(Math.abs(a[i] - b[i]) <= bound)) {
                    fail(dir.getFileName() + " " + name + "[" + i + "]: " + a[i] + " vs torch " + b[i]);
                }
            }
        }
    }

    @Test
    void conv2dStride2Pad1() {
        Folder f = Folder.of("conv2d_s2p1");
        Conv2d conv = Conv2d.of(2, 1, 1, true);
        checkConv(f, conv, List.of(f.get("x"), f.get("w"), f.get("b")));
        f.check("gb", ReferenceGradientRunner.runOnce(new Conv2dBackwardWeights(conv), f.get("x"), f.get("gy"),
                f.get("w")).get(1));
    }

    @Test
    void depthwiseConv2dStride2Pad1() {
        Folder f = Folder.of("conv2d_depthwise_s2p1");
        checkConv(f, Conv2d.of(2, 1, 4, false), List.of(f.get("x"), f.get("w")));
    }

    private static void checkConv(Folder f, Conv2d conv, List<Tensor> forwardInputs) {
        f.check("y", ReferenceGradientRunner.runOnce(conv, forwardInputs.toArray(Tensor[]::new)).get(0));
        f.check("gx", ReferenceGradientRunner.runOnce(new Conv2dBackwardData(conv), f.get("gy"), f.get("w"),
                f.get("x")).get(0));
        f.check("gw", ReferenceGradientRunner.runOnce(new Conv2dBackwardWeights(conv), f.get("x"), f.get("gy"),
                f.get("w")).get(0));
    }

    @Test
    void trainingBatchNormForwardAndBackward() {
        Folder f = Folder.of("batchnorm2d_train");
        BatchNormTraining bn = BatchNormTraining.defaults();
        List<Tensor> fwd = ReferenceGradientRunner.runOnce(bn, f.get("x"), f.get("running_mean_in"),
                f.get("running_var_in"), f.get("w"), f.get("b"));
        f.check("y", fwd.get(BatchNormTraining.Y));
        f.check("running_mean_out", fwd.get(BatchNormTraining.RUNNING_MEAN));
        f.check("running_var_out", fwd.get(BatchNormTraining.RUNNING_VAR));
        List<Tensor> grads = ReferenceGradientRunner.runOnce(new BatchNormTrainingBackward(bn.eps()), f.get("x"),
                f.get("gy"), fwd.get(BatchNormTraining.BATCH_MEAN), fwd.get(BatchNormTraining.BATCH_VAR), f.get("w"));
        f.check("gx", grads.get(0));
        f.check("gw", grads.get(1));
        f.check("gb", grads.get(2));
    }

    @Test
    void prelu() {
        Folder f = Folder.of("prelu");
        f.check("y", ReferenceGradientRunner.runOnce(new PRelu(), f.get("x"), f.get("w")).get(0));
        List<Tensor> grads = ReferenceGradientRunner.runOnce(new PReluBackward(), f.get("x"), f.get("w"), f.get("gy"));
        f.check("gx", grads.get(0));
        f.check("gw", grads.get(1));
    }

    @Test
    void linear() {
        Folder f = Folder.of("linear");
        f.check("y", ReferenceGradientRunner.runOnce(new Linear(true), f.get("x"), f.get("w"), f.get("b")).get(0));
        List<Tensor> grads = ReferenceGradientRunner.runOnce(new LinearBackward(true), f.get("x"), f.get("w"),
                f.get("gy"));
        f.check("gx", grads.get(0));
        f.check("gw", grads.get(1));
        f.check("gb", grads.get(2));
    }

    @Test
    void lstmThroughTime() {
        Folder f = Folder.of("lstm");
        Tensor x = f.get("x");
        Shape state = Shape.of(x.shape().dim(0), f.get("weight_hh_l0").shape().dim(1));
        Tensor[] forward = {x, Tensor.zeros(state), Tensor.zeros(state), f.get("weight_ih_l0"), f.get("weight_hh_l0"),
            f.get("bias_ih_l0"), f.get("bias_hh_l0")};
        List<Tensor> fwd = ReferenceGradientRunner.runOnce(new Lstm(), forward);
        f.check("y", fwd.get(0));
        f.check("h_n", fwd.get(1));
        f.check("c_n", fwd.get(2));
        Tensor[] backward = java.util.Arrays.copyOf(forward, 8);
        backward[LstmBackward.GY] = f.get("gy");
        List<Tensor> grads = ReferenceGradientRunner.runOnce(new LstmBackward(), backward);
        f.check("gx", grads.get(LstmBackward.GX));
        f.check("g_weight_ih_l0", grads.get(LstmBackward.GW_IH));
        f.check("g_weight_hh_l0", grads.get(LstmBackward.GW_HH));
        f.check("g_bias_ih_l0", grads.get(LstmBackward.GB_IH));
        f.check("g_bias_hh_l0", grads.get(LstmBackward.GB_HH));
    }

    @Test
    void sigmoid() {
        checkActivation("sigmoid", Activation.Kind.SIGMOID);
    }

    @Test
    void tanh() {
        checkActivation("tanh", Activation.Kind.TANH);
    }

    @Test
    void hSwish() {
        checkActivation("h_swish", Activation.Kind.HSWISH);
    }

    private static void checkActivation(String folder, Activation.Kind kind) {
        Folder f = Folder.of(folder);
        Activation act = Activation.of(kind);
        f.check("y", ReferenceGradientRunner.runOnce(act, f.get("x")).get(0));
        f.check("gx", ReferenceGradientRunner.runOnce(new ActivationBackward(act), f.get("x"), f.get("gy")).get(0));
    }

    @Test
    void softmaxOverTheLastAxis() {
        Folder f = Folder.of("softmax");
        Tensor y = ReferenceGradientRunner.runOnce(new Softmax(-1), f.get("x")).get(0);
        f.check("y", y);
        f.check("gx", ReferenceGradientRunner.runOnce(new SoftmaxBackward(-1), y, f.get("gy")).get(0));
    }
}
