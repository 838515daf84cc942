package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.List;

/**
 * 2-D convolution over NCHW input with symmetric zero padding and an optional fused epilogue:
 * {@code y = activation(conv(x) + bias) + residual}.
 *
 * @param weight     [O, I/groups, kH, kW]
 * @param bias       [O] or null
 * @param activation applied before the residual add; null for none
 * @param residual   when true the op takes a second input of the output's shape and adds it last
 */
public record Conv2d(Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW, int groups,
                     Activation activation, boolean residual) implements Op {

    public Conv2d {
        Op.require(weight.shape().rank() == 4, "conv weight must be [O, I/groups, kH, kW], got " + weight.shape());
        Op.require(strideH > 0 && strideW > 0 && padH >= 0 && padW >= 0 && groups > 0, "bad conv geometry");
        Op.require(weight.shape().dim(0) % groups == 0,
                weight.shape().dim(0) + " output channels do not split into " + groups + " groups");
        Op.require(bias == null || bias.shape().equals(Shape.of(weight.shape().dim(0))),
                "conv bias must be [" + weight.shape().dim(0) + "]");
    }

    public static Conv2d of(Tensor weight, Tensor bias, int stride, int pad, int groups) {
        return new Conv2d(weight, bias, stride, stride, pad, pad, groups, null, false);
    }

    public int outChannels() {
        return weight.shape().dim(0);
    }

    public int kernelH() {
        return weight.shape().dim(2);
    }

    public int kernelW() {
        return weight.shape().dim(3);
    }

    public boolean isDepthwise() {
        return groups > 1 && groups == outChannels() && weight.shape().dim(1) == 1;
    }

    public Conv2d withEpilogue(Activation newActivation, boolean newResidual) {
        return new Conv2d(weight, bias, strideH, strideW, padH, padW, groups, newActivation, newResidual);
    }

    public Conv2d withWeights(Tensor newWeight, Tensor newBias) {
        return new Conv2d(newWeight, newBias, strideH, strideW, padH, padW, groups, activation, residual);
    }

    @Override
    public int arity() {
        return residual ? 2 : 1;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
        Shape x = inputs.get(0);
        Op.require(x.rank() == 4, "conv input must be NCHW, got " + x);
        Op.require(x.dim(1) == weight.shape().dim(1) * groups,
                "conv expects " + weight.shape().dim(1) * groups + " input channels, got " + x);
        int ho = (x.dim(2) + 2 * padH - kernelH()) / strideH + 1;
        int wo = (x.dim(3) + 2 * padW - kernelW()) / strideW + 1;
        Op.require(ho > 0 && wo > 0, "conv kernel " + kernelH() + "x" + kernelW() + " larger than padded input " + x);
        Shape y = Shape.of(x.dim(0), outChannels(), ho, wo);
        if (residual) {
            Op.require(inputs.get(1).equals(y), "residual " + inputs.get(1) + " does not match conv output " + y);
        }
        return y;
    }

    @Override
    public String describe() {
        return "conv" + kernelH() + "x" + kernelW() + "/s" + strideH + (groups > 1 ? "/g" + groups : "")
                + " " + weight.shape().dim(1) * groups + "->" + outChannels()
                + (bias != null ? "+bias" : "") + (activation != null ? "+" + activation.describe() : "")
                + (residual ? "+residual" : "");
    }
}
