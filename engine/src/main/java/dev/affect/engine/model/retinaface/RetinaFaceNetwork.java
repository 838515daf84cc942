package dev.affect.engine.model.retinaface;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Upsample;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * RetinaFace(cfg_mnet, phase='test').forward (biubug6/Pytorch_Retinaface, as shipped with DDAMFN++)
 * on the graph IR for one input height and width, every parameter named by its state_dict key:
 * MobileNetV1-0.25 stages 1-3, FPN (nearest upsampling to the finer level's size), one SSH per
 * level, and 1x1 class / box / landmark heads with 2 anchors per location.
 *
 * <p>Input {@value #INPUT} f32[N, H, W, 3] (B, G, R minus the channel means, pixel-interleaved as
 * images are: the transpose to the network's NCHW is a view of it, so no reorder runs). The three
 * heads of a level read the same features, so they run as one 1x1 convolution of 2 x 16 channels
 * (weights merged into a derived parameter): per level one output {@link #levelOutput} [N, H_l *
 * W_l * 2, {@value #ROW}], rows ordered y, x, anchor, each row box offsets (4), class logits (2)
 * and landmark offsets (10). {@link HeadRows} splits them into the authors' loc, conf (softmaxed)
 * and landms, levels in {@link Priors}' order (stride 8, 16, 32). The graph depends on H and W (the
 * FPN's upsampling targets), so each input size is its own graph.
 */
public final class RetinaFaceNetwork {
    public static final String INPUT = "input";
    /** Values per head row: box 4, class logits 2, landmarks 10. */
    public static final int ROW = 16;
    static final int LOC_COLUMNS = 4;
    static final int CONF_COLUMNS = 2;
    static final int LANDMS_COLUMNS = 10;
    static final int LEVELS = 3;
    /** LeakyReLU slope everywhere in cfg_mnet (backbone, and FPN/SSH because out_channels <= 64). */
    static final float LEAKY = 0.1f;
    static final int FPN_CHANNELS = 64;
    static final int ANCHORS = 2;
    /** Output channels of stage 1 .. 3. */
    static final int[] STAGE_CHANNELS = {64, 128, 256};

    private final GraphBuilder g = new GraphBuilder();
    private final ParameterStore store;

    private RetinaFaceNetwork(ParameterStore store) {
        this.store = store;
    }

    public static TensorType inputType(int height, int width) {
        return TensorType.batched(DType.F32, height, width, 3);
    }

    /** The name of level {@code l}'s head rows (0 = stride 8). */
    public static String levelOutput(int level) {
        return "heads" + level;
    }

    /**
     * The graph for inputs of this height and width (both at least 1); the merged head weights are
     * derived into {@code store}, which holds the checkpoint's keys.
     */
    public static Graph build(int height, int width, ParameterStore store) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + height + "x" + width);
        }
        return new RetinaFaceNetwork(store).graph(height, width);
    }

    private Graph graph(int height, int width) {
        Value x = g.add(Transpose.of(0, 3, 1, 2), "input.nchw", g.input(INPUT, inputType(height, width)));
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

        // FPN, coarsest level first: each upsampled map exists before the lateral conv it is added to,
        // so the add becomes that conv's epilogue (EpilogueFusion) instead of a pass of its own
        Value o3 = convBn("fpn.output3", c3, FPN_CHANNELS, 1, 1, true);
        Value up3 = g.add(Upsample.toSize(height(c2), width(c2)), "fpn.up3", o3);
        Value o2 = convBn("fpn.output2", c2, FPN_CHANNELS, 1, 1, true);
        o2 = convBn("fpn.merge2", g.add(Binary.add(), "fpn.sum2", o2, up3), FPN_CHANNELS, 3, 1, true);
        Value up2 = g.add(Upsample.toSize(height(c1), width(c1)), "fpn.up2", o2);
        Value o1 = convBn("fpn.output1", c1, FPN_CHANNELS, 1, 1, true);
        o1 = convBn("fpn.merge1", g.add(Binary.add(), "fpn.sum1", o1, up2), FPN_CHANNELS, 3, 1, true);

        List<Value> features = List.of(ssh("ssh1", o1), ssh("ssh2", o2), ssh("ssh3", o3));
        for (int l = 0; l < LEVELS; l++) {
            g.output(levelOutput(l), heads(l, features.get(l)));
        }
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

    /**
     * SSH context module: concat of a 3x3, a "5x5" and a "7x7" branch (stacked 3x3s), then ReLU. The
     * ReLU is taken into each branch (ReLU of a concat is the concat of the ReLUs), where it becomes
     * the branch conv's epilogue.
     */
    private Value ssh(String p, Value x) {
        Value a = relu(p + ".conv3X3", convBn(p + ".conv3X3", x, FPN_CHANNELS / 2, 3, 1, false));
        Value c51 = convBn(p + ".conv5X5_1", x, FPN_CHANNELS / 4, 3, 1, true);
        Value b = relu(p + ".conv5X5_2", convBn(p + ".conv5X5_2", c51, FPN_CHANNELS / 4, 3, 1, false));
        Value c72 = convBn(p + ".conv7X7_2", c51, FPN_CHANNELS / 4, 3, 1, true);
        Value c = relu(p + ".conv7x7_3", convBn(p + ".conv7x7_3", c72, FPN_CHANNELS / 4, 3, 1, false));
        return g.add(new Concat(1), p, a, b, c);
    }

    private Value relu(String p, Value x) {
        return g.add(Activation.of(Activation.Kind.RELU), p + ".relu", x);
    }

    /**
     * Level {@code l}'s Bbox, Class and Landmark heads as one 1x1 conv with bias, NCHW -> NHWC (a view
     * of the conv's nhwc output), then [N, H*W*2, 16].
     */
    private Value heads(int l, Value features) {
        String[] heads = {"BboxHead", "ClassHead", "LandmarkHead"};
        int[] columns = {LOC_COLUMNS, CONF_COLUMNS, LANDMS_COLUMNS};
        List<String> weights = new ArrayList<>();
        List<String> biases = new ArrayList<>();
        for (String h : heads) {
            weights.add(h + "." + l + ".conv1x1.weight");
            biases.add(h + "." + l + ".conv1x1.bias");
        }
        Value w = merged(weights, columns, Shape.of(ANCHORS * ROW, FPN_CHANNELS, 1, 1));
        Value b = merged(biases, columns, Shape.of(ANCHORS * ROW));
        String p = "heads." + l;
        Value y = g.add(Conv2d.of(1, 0, 1, true), p + ".conv1x1", features, w, b);
        Value nhwc = g.add(Transpose.of(0, 2, 3, 1), p + ".nhwc", y);
        return g.add(Reshape.of(0, -1, ROW), p + ".rows", nhwc);
    }

    /**
     * The heads' output channels (anchor-major: anchor a's k values at a * k) interleaved per anchor:
     * merged channel a * 16 + offset of head + j is head channel a * k + j. Derived once into the store.
     */
    private Value merged(List<String> sources, int[] columns, Shape shape) {
        String name = sources.get(0).replace("BboxHead", "heads") + "#merged";
        if (!store.isDerived(name)) {
            store.derive(name, sources, parts -> {
                int inner = (int) (parts.get(0).shape().numel() / parts.get(0).shape().dim(0));
                float[] out = new float[ANCHORS * ROW * inner];
                int offset = 0;
                for (int h = 0; h < parts.size(); h++) {
                    float[] v = parts.get(h).toFloatArray();
                    int k = columns[h];
                    for (int a = 0; a < ANCHORS; a++) {
                        System.arraycopy(v, a * k * inner, out, (a * ROW + offset) * inner, k * inner);
                    }
                    offset += k;
                }
                return Tensor.of(out, shape.dims());
            });
        }
        return g.parameter(name, shape);
    }
}
