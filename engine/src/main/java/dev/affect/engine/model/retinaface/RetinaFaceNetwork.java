package dev.affect.engine.model.retinaface;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.Softmax;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Upsample;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * RetinaFace(cfg_mnet, phase='test').forward (biubug6/Pytorch_Retinaface, as shipped with DDAMFN++)
 * on the graph IR for one input height and width, every parameter named by its state_dict key:
 * MobileNetV1-0.25 stages 1-3, FPN (nearest upsampling to the finer level's size), one SSH per
 * level, and 1x1 class / box / landmark heads with 2 anchors per location.
 *
 * <p>Input {@value #INPUT} f32[N, 3, H, W] (BGR minus the channel means). Outputs {@value #LOC}
 * [N, P, 4], {@value #CONF} [N, P, 2] (softmaxed; column 1 is the face score) and {@value #LANDMS}
 * [N, P, 10], rows ordered level (stride 8, 16, 32), then y, x, anchor, as {@link Priors} orders them.
 * The graph depends on H and W (the FPN's upsampling targets), so each input size is its own graph.
 */
public final class RetinaFaceNetwork {
    public static final String INPUT = "input";
    public static final String LOC = "loc";
    public static final String CONF = "conf";
    public static final String LANDMS = "landms";
    /** LeakyReLU slope everywhere in cfg_mnet (backbone, and FPN/SSH because out_channels <= 64). */
    static final float LEAKY = 0.1f;
    static final int FPN_CHANNELS = 64;
    static final int ANCHORS = 2;
    /** Output channels of stage 1 .. 3. */
    static final int[] STAGE_CHANNELS = {64, 128, 256};

    private final GraphBuilder g = new GraphBuilder();

    private RetinaFaceNetwork() {
    }

    public static TensorType inputType(int height, int width) {
        return TensorType.batched(DType.F32, 3, height, width);
    }

    /** The graph for inputs of this height and width (both at least 1). */
    public static Graph build(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + height + "x" + width);
        }
        return new RetinaFaceNetwork().graph(height, width);
    }

    private Graph graph(int height, int width) {
        Value x = g.input(INPUT, inputType(height, width));
        // MobileNetV1 (net.py): stage1 ends at stride 8, stage2 at 16, stage3 at 32
        x = convBn("body.stage1.0", x, 8, 3, 2, true);
        x = dw("body.stage1.1", x, 16, 1);
        x = dw("body.stage1.2", x, 32, 2);
        x = dw("body.stage1.3", x, 32, 1);
        x = dw("body.stage1.4", x, 64, 2);
        Value c1 = dw("body.stage1.5", x, 64, 1);
        x = dw("body.stage2.0", c1, 128, 2);
        for (int i = 1; i <= 5; i++) {
            x = dw("body.stage2." + i, x, 128, 1);
        }
        Value c2 = x;
        x = dw("body.stage3.0", c2, 256, 2);
        Value c3 = dw("body.stage3.1", x, 256, 1);

        // FPN
        Value o1 = convBn("fpn.output1", c1, FPN_CHANNELS, 1, 1, true);
        Value o2 = convBn("fpn.output2", c2, FPN_CHANNELS, 1, 1, true);
        Value o3 = convBn("fpn.output3", c3, FPN_CHANNELS, 1, 1, true);
        Value up3 = g.add(Upsample.toSize(height(o2), width(o2)), "fpn.up3", o3);
        o2 = convBn("fpn.merge2", g.add(Binary.add(), "fpn.sum2", o2, up3), FPN_CHANNELS, 3, 1, true);
        Value up2 = g.add(Upsample.toSize(height(o1), width(o1)), "fpn.up2", o2);
        o1 = convBn("fpn.merge1", g.add(Binary.add(), "fpn.sum1", o1, up2), FPN_CHANNELS, 3, 1, true);

        List<Value> features = List.of(ssh("ssh1", o1), ssh("ssh2", o2), ssh("ssh3", o3));
        Value loc = heads("BboxHead", features, 4);
        Value logits = heads("ClassHead", features, 2);
        Value landms = heads("LandmarkHead", features, 10);
        Value conf = g.add(new Softmax(-1), CONF, logits);
        g.output(LOC, loc).output(CONF, conf).output(LANDMS, landms);
        return g.build();
    }

    private static int height(Value x) {
        return x.type().dims()[2];
    }

    private static int width(Value x) {
        return x.type().dims()[3];
    }

    /** k x k conv (padding k/2, no bias) at {@code p.0}, BatchNorm at {@code p.1}, then LeakyReLU(0.1) if {@code leaky}. */
    private Value convBn(String p, Value x, int out, int k, int stride, boolean leaky) {
        Value y = batchNorm(p + ".1", conv(p + ".0", x, out, k, stride, 1));
        return leaky ? g.add(Activation.leakyRelu(LEAKY), p + ".act", y) : y;
    }

    /** conv_dw: depthwise 3x3 ({@code .0}, {@code .1}), pointwise 1x1 ({@code .3}, {@code .4}), each + BN + LeakyReLU(0.1). */
    private Value dw(String p, Value x, int out, int stride) {
        int in = x.type().dims()[1];
        Value d = batchNorm(p + ".1", conv(p + ".0", x, in, 3, stride, in));
        d = g.add(Activation.leakyRelu(LEAKY), p + ".2", d);
        Value y = batchNorm(p + ".4", conv(p + ".3", d, out, 1, 1, 1));
        return g.add(Activation.leakyRelu(LEAKY), p + ".5", y);
    }

    private Value conv(String p, Value x, int out, int k, int stride, int groups) {
        int in = x.type().dims()[1];
        Value w = g.parameter(p + ".weight", Shape.of(out, in / groups, k, k));
        return g.add(Conv2d.of(stride, k / 2, groups, false), p, x, w);
    }

    private Value batchNorm(String p, Value x) {
        Shape c = Shape.of(x.type().dims()[1]);
        return g.add(new BatchNorm(BatchNorm.DEFAULT_EPS), p, x, g.parameter(p + ".running_mean", c),
                g.parameter(p + ".running_var", c), g.parameter(p + ".weight", c), g.parameter(p + ".bias", c));
    }

    /** SSH context module: concat of a 3x3, a "5x5" and a "7x7" branch (stacked 3x3s), then ReLU. */
    private Value ssh(String p, Value x) {
        Value a = convBn(p + ".conv3X3", x, FPN_CHANNELS / 2, 3, 1, false);
        Value c51 = convBn(p + ".conv5X5_1", x, FPN_CHANNELS / 4, 3, 1, true);
        Value b = convBn(p + ".conv5X5_2", c51, FPN_CHANNELS / 4, 3, 1, false);
        Value c72 = convBn(p + ".conv7X7_2", c51, FPN_CHANNELS / 4, 3, 1, true);
        Value c = convBn(p + ".conv7x7_3", c72, FPN_CHANNELS / 4, 3, 1, false);
        Value cat = g.add(new Concat(1), p + ".cat", a, b, c);
        return g.add(Activation.of(Activation.Kind.RELU), p, cat);
    }

    /** One head per level: 1x1 conv with bias, NCHW -> NHWC, then [N, H*W*2, k]; levels concatenated. */
    private Value heads(String name, List<Value> features, int k) {
        List<Value> levels = new ArrayList<>();
        for (int l = 0; l < features.size(); l++) {
            String p = name + "." + l + ".conv1x1";
            Value w = g.parameter(p + ".weight", Shape.of(ANCHORS * k, FPN_CHANNELS, 1, 1));
            Value b = g.parameter(p + ".bias", Shape.of(ANCHORS * k));
            Value y = g.add(Conv2d.of(1, 0, 1, true), p, features.get(l), w, b);
            Value nhwc = g.add(Transpose.of(0, 2, 3, 1), p + ".nhwc", y);
            levels.add(g.add(Reshape.of(0, -1, k), p + ".rows", nhwc));
        }
        return g.add(new Concat(1), name, levels.toArray(Value[]::new));
    }
}
