package dev.affect.engine.model.ddamfn;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authors' building blocks (MixedFeatureNet.py) on a {@link GraphBuilder}: every weight is a
 * parameter named by its state_dict key, every intermediate value by the module that makes it.
 * In {@link DdamfnMode#TRAINING} each BatchNorm normalises with the batch's statistics and its
 * updated running statistics are collected for the graph's outputs.
 */
final class Layers {
    static final float BN_EPS = 1e-5f;
    static final float BN_MOMENTUM = 0.1f;

    final GraphBuilder g;
    final DdamfnMode mode;
    /** state_dict key of a running statistic -> the value holding its update (training only), in BN order. */
    final Map<String, Value> runningStats = new LinkedHashMap<>();

    Layers(GraphBuilder g, DdamfnMode mode) {
        this.g = g;
        this.mode = mode;
    }

    /** Channels (axis 1) of an NCHW value. */
    static int channels(Value x) {
        return x.type().dims()[1];
    }

    static int height(Value x) {
        return x.type().dims()[2];
    }

    static int width(Value x) {
        return x.type().dims()[3];
    }

    /**
     * nn.Conv2d(in, out, (kh, kw), stride, (padH, padW), groups, bias) at module prefix {@code p}:
     * parameters {@code p.weight} [out, in/groups, kh, kw] and, with bias, {@code p.bias} [out].
     */
    Value conv(String p, Value x, int out, int kh, int kw, int stride, int padH, int padW, int groups, boolean bias) {
        int in = channels(x);
        Op.require(in % groups == 0, p + ": " + in + " input channels do not split into " + groups + " groups");
        Value w = g.parameter(p + ".weight", Shape.of(out, in / groups, kh, kw));
        Conv2d op = new Conv2d(stride, stride, padH, padW, groups, bias);
        if (bias) {
            return g.add(op, p, x, w, g.parameter(p + ".bias", Shape.of(out)));
        }
        return g.add(op, p, x, w);
    }

    /** 1x1 convolution with bias (the coordinate attentions' conv1/conv2/conv3). */
    Value pointwise(String p, Value x, int out) {
        return conv(p, x, out, 1, 1, 1, 0, 0, 1, true);
    }

    /** nn.BatchNorm2d at prefix {@code p}: running statistics in inference, batch statistics in training. */
    Value batchNorm(String p, Value x) {
        Shape c = Shape.of(channels(x));
        Value mean = g.parameter(p + ".running_mean", c);
        Value var = g.parameter(p + ".running_var", c);
        Value weight = g.parameter(p + ".weight", c);
        Value bias = g.parameter(p + ".bias", c);
        if (mode == DdamfnMode.INFERENCE) {
            return g.add(new BatchNorm(BN_EPS), p, x, mean, var, weight, bias);
        }
        List<Value> out = g.addMulti(new BatchNormTraining(BN_EPS, BN_MOMENTUM),
                List.of(p, p + ".running_mean.updated", p + ".running_var.updated", p + ".batch_mean", p + ".batch_var"),
                x, mean, var, weight, bias);
        runningStats.put(p + ".running_mean", out.get(BatchNormTraining.RUNNING_MEAN));
        runningStats.put(p + ".running_var", out.get(BatchNormTraining.RUNNING_VAR));
        return out.get(BatchNormTraining.Y);
    }

    /** Per-channel nn.PReLU at prefix {@code p}. */
    Value prelu(String p, Value x) {
        return g.add(new PRelu(), p, x, g.parameter(p + ".weight", Shape.of(channels(x))));
    }

    /** Conv_block: conv (no bias) -> BN -> PReLU, submodules {@code p.conv}, {@code p.bn}, {@code p.prelu}. */
    Value convBlock(String p, Value x, int out, int kh, int kw, int stride, int padH, int padW, int groups) {
        return prelu(p + ".prelu", linearBlock(p, x, out, kh, kw, stride, padH, padW, groups));
    }

    /** Linear_block: conv (no bias) -> BN, no activation. */
    Value linearBlock(String p, Value x, int out, int kh, int kw, int stride, int padH, int padW, int groups) {
        return batchNorm(p + ".bn", conv(p + ".conv", x, out, kh, kw, stride, padH, padW, groups, false));
    }

    Value activation(Activation.Kind kind, String name, Value x) {
        return g.add(Activation.of(kind), name, x);
    }

    Value mul(String name, Value a, Value b) {
        return g.add(Binary.mul(), name, a, b);
    }

    Value add(String name, Value a, Value b) {
        return g.add(Binary.add(), name, a, b);
    }

    Value max(String name, Value a, Value b) {
        return g.add(Binary.max(), name, a, b);
    }

    /** Swaps the last two axes of an NCHW value (torch's {@code permute(0, 1, 3, 2)}). */
    Value swapHw(String name, Value x) {
        return g.add(Transpose.of(0, 1, 3, 2), name, x);
    }

    Value concat(String name, int axis, Value... parts) {
        return g.add(new Concat(axis), name, parts);
    }

    /** torch.split with a list of sizes; output i is named {@code name.i}. */
    List<Value> split(String name, int axis, Value x, int... sizes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            names.add(name + "." + i);
        }
        return g.addMulti(Split.of(axis, sizes), names, x);
    }
}
