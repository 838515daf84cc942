package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.Slice;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Upsample;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Data movement. Reshape is a view of plain data; transpose is a view with permuted strides; split
 * and slice are reorders from a strided view of the input (an offset and a stepped stride); concat and
 * nearest upsampling are oneDNN's concat and resampling (upsampling to a size with a non-integer ratio,
 * and gather, are Java kernels).
 */
final class ShapeLowering {
    private ShapeLowering() {
    }

    static void reshape(CpuGraphCompiler b, Node n) {
        CpuValue x = b.value(n.input(0));
        if (x.md == null) {
            // integer data (indices, token ids) is always plain: a view, for Java kernels only
            b.define(n.output(), b.view(x, n.name(), b.shape(n.output()), null, 0));
            return;
        }
        b.define(n.output(), b.reshaped(b.in(n, 0), b.shape(n.output()), n.name()));
    }

    /**
     * A transpose of a dense layout (plain, nhwc, ...) is a view with permuted strides: free, and a
     * consumer that wants another layout reorders once (a conv's nhwc output transposed to NHWC is
     * then plain as it stands). Only a blocked layout is made plain first.
     */
    static void transpose(CpuGraphCompiler b, Node n, Transpose t) {
        CpuValue x = b.in(n, 0);
        long[] st = DnnlHandles.strides(x.md, x.shape.rank());
        if (st == null) {
            x = b.plain(x, n.name());
            st = CpuGraphCompiler.plainStrides(x.shape);
        }
        int[] perm = t.perm();
        Shape out = b.shape(n.output());
        long[] pst = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            pst[i] = st[perm[i]];
        }
        // strides of size-1 axes mean nothing: a permutation that keeps the order of the others is plain
        boolean plain = true;
        long[] want = CpuGraphCompiler.plainStrides(out);
        for (int i = 0; i < pst.length; i++) {
            plain &= out.dim(i) == 1 || pst[i] == want[i];
        }
        b.define(n.output(), b.view(x, n.name(), out, plain ? b.plainMd(out) : b.stridedMd(out, pst), 0));
    }

    static void concat(CpuGraphCompiler b, Node n, Concat c) {
        Shape out = b.shape(n.output());
        int axis = Op.axis(c.axis(), out.rank());
        List<CpuValue> srcs = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) {
            srcs.add(b.in(n, i));
        }
        try (Attr attr = new Attr()) {
            MemorySegment pd = createConcat(b, srcs, axis, attr, n.name());
            if (CpuGraphCompiler.isRef(pd) && !srcs.stream().allMatch(b::isPlain)) {
                // inputs in different layouts: oneDNN concatenates them only with its reference loop
                CpuGraphCompiler.destroyPd(pd);
                srcs.replaceAll(v -> b.plain(v, n.name()));
                pd = createConcat(b, srcs, axis, attr, n.name());
            }
            List<CpuStep.Arg> args = new ArrayList<>();
            for (int i = 0; i < srcs.size(); i++) {
                args.add(new CpuStep.Arg(DNNL_ARG_MULTIPLE_SRC() + i, srcs.get(i)));
            }
            b.define(n.output(), b.finish(b.handles.ownPd(pd), attr, args, n.name(), out));
        }
    }

    private static MemorySegment createConcat(CpuGraphCompiler b, List<CpuValue> srcs, int axis, Attr attr, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mds = a.allocate(ValueLayout.ADDRESS, srcs.size());
            for (int i = 0; i < srcs.size(); i++) {
                mds.setAtIndex(ValueLayout.ADDRESS, i, srcs.get(i).md);
            }
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_concat_primitive_desc_create(pdOut, b.engine, MemorySegment.NULL, srcs.size(), axis, mds,
                    attr.get()), "dnnl_concat_primitive_desc_create(" + name + ")");
            return pdOut.get(ValueLayout.ADDRESS, 0);
        }
    }

    static void split(CpuGraphCompiler b, Node n, Split s) {
        CpuValue x = b.plain(b.in(n, 0), n.name());
        int axis = Op.axis(s.axis(), x.shape.rank());
        int start = 0;
        int[] sizes = s.sizes();
        for (int i = 0; i < sizes.length; i++) {
            String name = n.outputs().get(i).name();
            b.define(n.outputs().get(i), strided(b, x, axis, start, 1, b.shape(n.outputs().get(i)), name));
            start += sizes[i];
        }
    }

    static void slice(CpuGraphCompiler b, Node n, Slice s) {
        CpuValue x = b.plain(b.in(n, 0), n.name());
        int axis = Op.axis(s.axis(), x.shape.rank());
        b.define(n.output(), strided(b, x, axis, s.begin(x.shape.dim(axis)), s.step(), b.shape(n.output()), n.name()));
    }

    /** Elements start, start+step, ... along one axis of plain x: a view when contiguous, else copied out by a reorder. */
    private static CpuValue strided(CpuGraphCompiler b, CpuValue x, int axis, int start, int step, Shape out, String name) {
        long[] st = CpuGraphCompiler.plainStrides(x.shape);
        long offset = start * st[axis] * 4;
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= x.shape.dim(i);
        }
        if (outer == 1 && (step == 1 || out.dim(axis) == 1)) {
            return b.view(x, name, out, b.plainMd(out), offset); // one contiguous run of x: no copy
        }
        st[axis] *= step;
        CpuValue view = b.view(x, name + ".view", out, b.stridedMd(out, st), offset);
        return b.reorder(view, b.plainMd(out), name);
    }

    static void upsample(CpuGraphCompiler b, Node n, Upsample u) {
        CpuValue x = b.in(n, 0);
        Shape out = b.shape(n.output());
        if (u.sized() && !(exactOrDouble(x.shape.dim(2), out.dim(2)) && exactOrDouble(x.shape.dim(3), out.dim(3)))) {
            // oneDNN's nearest rounds half-pixel centres, torch floors dst * in/out: they differ for
            // ratios such as 8 -> 15, so those take a Java gather with torch's indices.
            CpuValue src = b.plain(x, n.name());
            CpuValue dst = b.kernelOutput(n.name(), out, DType.F32);
            b.kernel(n.name(), "nearest upsample", new UpsampleKernel(src, dst), List.of(src), List.of(dst));
            b.define(n.output(), dst);
            return;
        }
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_resampling_forward_primitive_desc_create(pdOut, b.engine, dnnl_forward_inference(),
                    dnnl_resampling_nearest(), MemorySegment.NULL, x.md, b.anyMd(out), attr.get()),
                    "dnnl_resampling_forward_primitive_desc_create(" + n.name() + ")");
            b.define(n.output(), b.finish(b.pd(pdOut), attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x)), n.name(), out));
        }
    }

    /** Whether nearest upsampling in -> out is the identity or exact doubling, where oneDNN's rule and torch's agree. */
    private static boolean exactOrDouble(int in, int out) {
        return out == in || out == 2 * in;
    }

    /** out[n] = data[n, indices[n]]: a copy of one row per batch element, done in Java (oneDNN has no gather). */
    static void gather(CpuGraphCompiler b, Node n) {
        CpuValue data = b.plain(b.in(n, 0), n.name());
        CpuValue idx = b.value(n.input(1));
        Shape out = b.shape(n.output());
        CpuValue dst = b.kernelOutput(n.name(), out, DType.F32);
        b.kernel(n.name(), "gather", new GatherKernel(data, idx, dst, n.input(1).name()), List.of(data, idx), List.of(dst));
        b.define(n.output(), dst);
    }
}
