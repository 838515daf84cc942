package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elementwise binary ops with NumPy broadcasting. oneDNN's binary broadcasts only its second source,
 * so the full-shape operand goes first where the op commutes; otherwise (or when both broadcast) the
 * primitive adds the first operand to zeros of the output shape and applies the op with the second
 * as a post-op; when both broadcast, {@link StridedBinaryKernel} does it. 4-D broadcasts over N, H or W with every channel (coordinate attention) run as
 * {@link NhwcBroadcastKernel}, folding x * a * b chains into one pass.
 */
final class BinaryLowering {
    private BinaryLowering() {
    }

    static void binary(CpuGraphCompiler b, Node n, Binary op) {
        Shape out = b.shape(n.output());
        List<CpuValue> operands = operandsOf(b, n);
        if (b.isFoldable(n.output())) {
            b.pend(n.output(), operands);
            return;
        }
        // oneDNN's jit binary broadcasts per channel ([1, C, 1, 1]) itself; along N, H or W only the kernel is fast
        boolean spatial = operands.size() > 2 || operands.stream().anyMatch(v -> broadcastsSpatially(v.shape, out));
        if (spatial && NhwcBroadcastKernel.supports(out, operands.stream().map(v -> v.shape).toList())) {
            b.define(n.output(), kernel(b, op.kind(), operands, out, n.name()));
            return;
        }
        CpuValue x = b.padRank(operands.get(0), out.rank(), n.name());
        CpuValue y = b.padRank(operands.get(1), out.rank(), n.name());
        if (!x.shape.equals(out) && !y.shape.equals(out)) {
            b.define(n.output(), strided(b, op, b.plain(x, n.name()), b.plain(y, n.name()), out, n.name()));
            return;
        }
        b.define(n.output(), primitive(b, op.kind(), x, y, out, n.name()));
    }

    /** Whether oneDNN's jit binary cannot broadcast this operand itself (it can per channel, or not at all). */
    static boolean broadcastsSpatially(Shape s, Shape out) {
        return !s.equals(out) && !perChannel(s, out);
    }

    private static boolean perChannel(Shape s, Shape out) {
        return s.rank() == 4 && s.dim(0) == 1 && s.dim(2) == 1 && s.dim(3) == 1 && s.dim(1) == out.dim(1);
    }

    /** The operands of a binary node, expanding an input that is a folded product. */
    private static List<CpuValue> operandsOf(CpuGraphCompiler b, Node n) {
        List<CpuValue> ops = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) {
            List<CpuValue> pending = b.pending(n.input(i));
            if (pending != null) {
                ops.addAll(pending);
            } else {
                ops.add(b.in(n, i));
            }
        }
        return ops;
    }

    private static CpuValue primitive(CpuGraphCompiler b, Binary.Kind kind, CpuValue x, CpuValue y, Shape out, String name) {
        boolean commutes = kind != Binary.Kind.SUB && kind != Binary.Kind.DIV;
        CpuValue src0 = x;
        CpuValue src1 = y;
        if (!x.shape.equals(out) && y.shape.equals(out) && commutes) {
            src0 = y;
            src1 = x;
        }
        if (src0.shape.equals(out) && src1.shape.equals(out) && !DnnlHandles.sameLayout(src0.md, src1.md)) {
            // oneDNN's binary has only its reference loop for mixed layouts (a gradient sum of a conv's
            // blocked output and a plain one): one jit reorder into the other's layout, the plain one moving
            if (b.isPlain(src0)) {
                src0 = b.toLayout(src0, src1.md, name);
            } else {
                src1 = b.toLayout(src1, src0.md, name);
            }
        }
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            List<CpuStep.Arg> args = new ArrayList<>();
            if (src0.shape.equals(out)) {
                Dnnl.check(dnnl_binary_primitive_desc_create(pdOut, b.engine, Attr.binaryAlg(kind), src0.md, src1.md,
                        src0.md, attr.get()), "dnnl_binary_primitive_desc_create(" + name + ")");
                args.add(new CpuStep.Arg(DNNL_ARG_SRC_0(), src0));
                args.add(new CpuStep.Arg(DNNL_ARG_SRC_1(), src1));
            } else {
                CpuValue zeros = b.zeros(name + ".zeros", out);
                attr.binary(kind, src1);
                Dnnl.check(dnnl_binary_primitive_desc_create(pdOut, b.engine, dnnl_binary_add(), zeros.md, src0.md,
                        zeros.md, attr.get()), "dnnl_binary_primitive_desc_create(" + name + ")");
                args.add(new CpuStep.Arg(DNNL_ARG_SRC_0(), zeros));
                args.add(new CpuStep.Arg(DNNL_ARG_SRC_1(), src0));
            }
            return b.finish(b.pd(pdOut), attr, args, name, out);
        }
    }

    /** Both operands broadcast: oneDNN has only its reference loop for that, so a Java kernel does it. */
    private static CpuValue strided(CpuGraphCompiler b, Binary op, CpuValue x, CpuValue y, Shape out, String name) {
        CpuValue dst = b.activation(name, out, b.plainMd(out));
        b.kernel(name, "broadcast_" + op.kind().name().toLowerCase() + " (strided)", new StridedBinaryKernel(op.kind(), x, y, dst),
                List.of(x, y), List.of(dst));
        return dst;
    }

    static CpuValue kernel(CpuGraphCompiler b, Binary.Kind kind, List<CpuValue> operands, Shape out, String name) {
        List<CpuValue> nhwc = new ArrayList<>();
        for (CpuValue v : operands) {
            nhwc.add(b.toLayout(v, b.tagMd(v.shape, dnnl_acdb()), name));
        }
        CpuValue dst = b.activation(name, out, b.tagMd(out, dnnl_acdb()));
        b.kernel(name, "broadcast_" + kind.name().toLowerCase() + "x" + operands.size() + " (nhwc)",
                new NhwcBroadcastKernel(kind, dst, nhwc), nhwc, List.of(dst));
        return dst;
    }

    /** Both nodes' operands are 4-D with every channel of the output (what the kernel needs). */
    private static boolean fullChannels(Map<Integer, Shape> shapes, Node outer, Node inner) {
        Shape out = shapes.get(outer.output().id());
        for (Node n : new Node[] {outer, inner}) {
            for (Value v : n.inputs()) {
                Shape s = shapes.get(v.id());
                if (out.rank() != 4 || s.rank() != 4 || s.dim(1) != out.dim(1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Ids of x * a products read only by another product, computed with it in one kernel pass. */
    static Set<Integer> foldable(Graph graph, Map<Integer, Shape> shapes) {
        Map<Integer, Integer> uses = graph.useCounts();
        Map<Integer, Node> producers = graph.producers();
        Set<Integer> fold = new HashSet<>();
        Map<Integer, Boolean> isMul = new HashMap<>();
        for (Node n : graph.nodes()) {
            isMul.put(n.output().id(), n.op() instanceof Binary bin && bin.kind() == Binary.Kind.MUL);
        }
        for (Node n : graph.nodes()) {
            if (!isMul.get(n.output().id())) {
                continue;
            }
            for (Value in : n.inputs()) {
                Node p = producers.get(in.id());
                if (p != null && isMul.getOrDefault(in.id(), false) && uses.getOrDefault(in.id(), 0) == 1
                        && fullChannels(shapes, n, p)) {
                    fold.add(in.id());
                }
            }
        }
        return fold;
    }
}
