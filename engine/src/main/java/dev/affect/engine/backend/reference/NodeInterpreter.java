package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Gather;
import dev.affect.engine.graph.GradientOp;
import dev.affect.engine.graph.LayerNorm;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.MatMul;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.Slice;
import dev.affect.engine.graph.Softmax;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Upsample;
import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Runs one node on float arrays: the textbook formula of each op, canonical and fused alike. */
final class NodeInterpreter {
    private NodeInterpreter() {
    }

    static float[][] run(Node node, List<float[]> in, List<Shape> shapes, List<Shape> outShapes) {
        float[] x = in.get(0);
        Shape xs = shapes.get(0);
        Shape ys = outShapes.get(0);
        return switch (node.op()) {
            case Conv2d c -> one(ConvKernels.conv2d(x, xs, in.get(1), shapes.get(1), c.bias() ? in.get(2) : null,
                    c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(), ys, null));
            case FusedConv2d f -> one(fusedConv(f, in, shapes, ys));
            case BatchNorm b -> one(NormKernels.batchNorm(x, xs, in.get(1), in.get(2), in.get(3), in.get(4), b.eps()));
            case BatchNormTraining b -> NormKernels.batchNormTraining(x, xs, in.get(1), in.get(2), in.get(3), in.get(4),
                    b.eps(), b.momentum());
            case Activation a -> one(PointwiseKernels.activation(a, x));
            case PRelu p -> one(PointwiseKernels.prelu(x, xs, in.get(1)));
            case Binary b -> one(PointwiseKernels.binary(b.kind(), x, xs, in.get(1), shapes.get(1), ys));
            case Mean m -> one(ShapeKernels.mean(x, xs, m.axis()));
            case Linear l -> one(MatrixKernels.linear(x, xs, in.get(1), shapes.get(1), l.bias() ? in.get(2) : null));
            case MatMul m -> one(MatrixKernels.matmul(m, x, xs, in.get(1), shapes.get(1), ys));
            case LayerNorm l -> one(NormKernels.layerNorm(x, xs, in.get(1), in.get(2), l.eps()));
            case Softmax s -> one(ShapeKernels.softmax(x, xs, s.axis()));
            case Reshape r -> one(x);
            case Transpose t -> one(ShapeKernels.transpose(x, xs, t.perm(), ys));
            case Concat c -> one(ShapeKernels.concat(in, shapes, c.axis(), ys));
            case Split s -> ShapeKernels.split(x, xs, s.axis(), s.sizes());
            case Slice s -> one(ShapeKernels.slice(x, xs, s, ys));
            case Gather g -> one(ShapeKernels.gather(x, xs, in.get(1)));
            case Upsample u -> one(u.sized() ? ShapeKernels.upsampleTo(x, xs, u.outH(), u.outW())
                    : ShapeKernels.upsample(x, xs, u.scaleH(), u.scaleW()));
            case Lstm l -> MatrixKernels.lstm(x, xs, in.get(Lstm.H0), in.get(Lstm.C0), in.get(Lstm.W_IH),
                    in.get(Lstm.W_HH), in.get(Lstm.B_IH), in.get(Lstm.B_HH));
            case GradientOp g -> GradientKernels.run(g, in, shapes, outShapes);
        };
    }

    private static float[][] one(float[] y) {
        return new float[][] {y};
    }

    private static float[] fusedConv(FusedConv2d f, List<float[]> in, List<Shape> shapes, Shape ys) {
        Activation act = f.pointwise();
        float[] slopes = f.isPrelu() ? in.get(f.slopeInput()) : null;
        float[] residual = f.residual() ? in.get(f.residualInput()) : null;
        ConvKernels.Epilogue epilogue = (v, channel, index) -> {
            float r = act != null ? act.apply(v) : slopes != null ? PointwiseKernels.prelu(v, slopes[channel]) : v;
            return residual != null ? r + residual[index] : r;
        };
        return ConvKernels.conv2d(in.get(0), shapes.get(0), in.get(1), shapes.get(1), in.get(2), f.strideH(), f.strideW(),
                f.padH(), f.padW(), f.groups(), ys, epilogue);
    }
}
