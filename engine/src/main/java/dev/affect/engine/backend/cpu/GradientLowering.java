package dev.affect.engine.backend.cpu;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.ActivationBackward;
import dev.affect.engine.graph.BatchNormTrainingBackward;
import dev.affect.engine.graph.BinaryBackward;
import dev.affect.engine.graph.Conv2dBackwardData;
import dev.affect.engine.graph.Conv2dBackwardWeights;
import dev.affect.engine.graph.GradientOp;
import dev.affect.engine.graph.LinearBackward;
import dev.affect.engine.graph.LstmBackward;
import dev.affect.engine.graph.MeanBackward;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.PReluBackward;
import dev.affect.engine.graph.SoftmaxBackward;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Function;

/**
 * Lowers autograd's backward ops to oneDNN's backward primitives (each family in its own class),
 * plus the few helpers they share: making a descriptor, the hint dance, outputs in a queried layout.
 */
final class GradientLowering {
    private GradientLowering() {
    }

    static void lower(CpuGraphCompiler c, Node n, GradientOp op) {
        switch (op) {
            case Conv2dBackwardData d -> ConvBackwardLowering.data(c, n, d);
            case Conv2dBackwardWeights w -> ConvBackwardLowering.weights(c, n, w);
            case BatchNormTrainingBackward bn -> NormBackwardLowering.batchNorm(c, n, bn);
            case SoftmaxBackward s -> NormBackwardLowering.softmax(c, n, s);
            case ActivationBackward a -> EltwiseBackwardLowering.activation(c, n, a);
            case PReluBackward p -> EltwiseBackwardLowering.prelu(c, n);
            case MeanBackward m -> EltwiseBackwardLowering.mean(c, n, m);
            case LinearBackward l -> LinearBackwardLowering.lower(c, n, l);
            case LstmBackward l -> LstmBackwardLowering.lower(c, n);
            case BinaryBackward bb -> BinaryBackwardLowering.lower(c, n, bb);
        }
    }

    /** One oneDNN primitive-descriptor constructor call writing its result through {@code out}. */
    interface PdCall {
        int create(MemorySegment out);
    }

    /** A primitive descriptor the caller owns. */
    static MemorySegment create(String what, PdCall call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(call.create(out), what);
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }

    /**
     * A backward descriptor made with a forward_training descriptor as oneDNN's hint (it picks the
     * implementation family and layouts to match); the hint is destroyed once oneDNN has copied it.
     */
    static MemorySegment withHint(MemorySegment hint, Function<MemorySegment, MemorySegment> backward) {
        try {
            return backward.apply(hint);
        } finally {
            CpuGraphCompiler.destroyPd(hint);
        }
    }

    /** A new activation in the layout the primitive reports for {@code what} (a diff_src_md, ...). */
    static CpuValue output(CpuGraphCompiler b, MemorySegment pd, int what, String name, Shape shape) {
        return b.activation(name, shape, b.cloneMd(CpuGraphCompiler.query(pd, what)));
    }

    /** v as plain row-major data seen with {@code shape} (same element count). */
    static CpuValue plainAs(CpuGraphCompiler b, CpuValue v, Shape shape, String name) {
        CpuValue p = b.plain(v, name);
        return p.shape.equals(shape) ? p : b.view(p, name, shape, b.plainMd(shape), 0);
    }

    /** An attribute with user scratchpad and, on a bf16 backend, bf16 math (for convolutions and matmuls). */
    static Attr attr(CpuGraphCompiler b, boolean bf16Math) {
        Attr attr = new Attr();
        if (bf16Math && b.bf16) {
            attr.bf16Math();
        }
        return attr;
    }
}
