package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.bindings.dnnl.gen.dnnl_exec_arg_t;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Whether oneDNN really computes convolutions in bf16 under {@code dnnl_fpmath_mode_bf16} on this
 * machine. The fpmath mode only permits bf16: where oneDNN has no bf16 convolution kernel for the
 * ISA it silently keeps computing in f32 (seen with oneDNN 3.13 on avx512_core_bf16, an AMD Zen 4,
 * and on avx512_core_fp16 with AMX hidden). Rather than guess from the ISA, {@link #probe()} runs one small convolution twice, with default attributes and with bf16
 * fpmath, the way the plan builder creates convolutions (layouts chosen by oneDNN, user scratchpad),
 * and compares the outputs bit for bit. The verdict is computed once per process, on first use.
 */
public final class Bf16Support {
    /**
     * @param used   true when bf16 fpmath changes convolution results, i.e. a bf16 kernel runs
     * @param reason one line for logs and descriptions: library, ISA, the kernel picked, the outcome
     */
    public record Verdict(boolean used, String reason) {
    }

    /** A 3x3, stride 1, pad 1 convolution of 16 channels of 8x8 to 16 channels. */
    static final Shape SRC = Shape.of(1, 16, 8, 8);
    static final Shape WEIGHTS = Shape.of(16, 16, 3, 3);
    static final Shape BIAS = Shape.of(16);
    static final Shape DST = Shape.of(1, 16, 8, 8);

    private static final Object LOCK = new Object();
    private static volatile Verdict verdict;

    private Bf16Support() {
    }

    /**
     * The verdict for this process; the first call runs the probe (two tiny oneDNN convolutions,
     * primitive creation included), later calls return the cached one. Thread-safe.
     *
     * @throws dev.affect.bindings.dnnl.DnnlException if oneDNN fails to run the probe (not cached)
     */
    public static Verdict probe() {
        Verdict v = verdict;
        if (v == null) {
            synchronized (LOCK) {
                v = verdict;
                if (v == null) {
                    v = run();
                    verdict = v;
                }
            }
        }
        return v;
    }

    private static Verdict run() {
        Dnnl.load();
        Run f32 = convolution(false);
        Run bf16 = convolution(true);
        boolean used = !Arrays.equals(f32.dst(), bf16.dst());
        String reason = "oneDNN " + Dnnl.version().split(" ")[0] + " on " + Dnnl.effectiveCpuIsaName() + " picks "
                + bf16.impl() + " for bf16 fpmath: convolutions compute in " + (used ? "bf16" : "f32");
        return new Verdict(used, reason);
    }

    /** One execution of the probe convolution: its output (plain NCHW) and the implementation oneDNN picked. */
    record Run(float[] dst, String impl) {
    }

    /** The probe's source, weights and bias: seeded values that bf16 (8 significant bits) cannot hold. */
    static float[][] data() {
        SplittableRandom random = new SplittableRandom(20240611L);
        float[][] d = {new float[(int) SRC.numel()], new float[(int) WEIGHTS.numel()], new float[(int) BIAS.numel()]};
        for (float[] values : d) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
        }
        return d;
    }

    /** Runs the probe convolution on its own engine and stream, with bf16 fpmath or default attributes. */
    static Run convolution(boolean bf16Math) {
        float[][] d = data();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = aligned(a, d[0]);
            MemorySegment weights = aligned(a, d[1]);
            MemorySegment bias = aligned(a, d[2]);
            MemorySegment dst = a.allocate(DST.numel() * 4L, 64);
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_engine_create(out, dnnl_cpu(), 0), "dnnl_engine_create");
            MemorySegment engine = out.get(ValueLayout.ADDRESS, 0);
            try {
                Dnnl.check(dnnl_stream_create(out, engine, dnnl_stream_default_flags()), "dnnl_stream_create");
                MemorySegment stream = out.get(ValueLayout.ADDRESS, 0);
                try {
                    String impl = convolve(engine, stream, bf16Math, src, weights, bias, dst);
                    return new Run(dst.toArray(ValueLayout.JAVA_FLOAT), impl);
                } finally {
                    Dnnl.check(dnnl_stream_destroy(stream), "dnnl_stream_destroy");
                }
            } finally {
                Dnnl.check(dnnl_engine_destroy(engine), "dnnl_engine_destroy");
            }
        }
    }

    /** A 64-byte aligned copy, as the plan's buffers are. */
    private static MemorySegment aligned(Arena a, float[] values) {
        return a.allocate(values.length * 4L, 64).copyFrom(MemorySegment.ofArray(values));
    }

    /**
     * A 3x3, stride 1, pad 1 convolution of plain f32 data into {@code dst}, with oneDNN choosing
     * the layouts as in {@link CpuGraphCompiler}; returns the implementation it picked.
     */
    private static String convolve(MemorySegment engine, MemorySegment stream, boolean bf16Math, MemorySegment src,
            MemorySegment weights, MemorySegment bias, MemorySegment dst) {
        try (Arena a = Arena.ofConfined(); DnnlHandles h = new DnnlHandles(); Attr post = new Attr()) {
            if (bf16Math) {
                post.bf16Math();
            }
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_convolution_forward_primitive_desc_create(out, engine, dnnl_forward_inference(),
                    dnnl_convolution_direct(), h.anyMd(SRC), h.anyMd(WEIGHTS), h.plainMd(BIAS), h.anyMd(DST),
                    DnnlHandles.dims(a, 1, 1), DnnlHandles.dims(a, 0, 0), DnnlHandles.dims(a, 1, 1),
                    DnnlHandles.dims(a, 1, 1), post.get()), "dnnl_convolution_forward_primitive_desc_create(bf16 probe)");
            MemorySegment pd = h.ownPd(out.get(ValueLayout.ADDRESS, 0));
            MemorySegment srcMd = h.cloneMd(dnnl_primitive_desc_query_md(pd, dnnl_query_src_md(), 0));
            MemorySegment weightsMd = h.cloneMd(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md(), 0));
            MemorySegment dstMd = h.cloneMd(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md(), 0));
            MemorySegment scratchMd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md(), 0);
            long scratchBytes = scratchMd.equals(MemorySegment.NULL) ? 0 : DnnlHandles.size(scratchMd);

            MemorySegment convSrc = inLayout(engine, stream, a, h.plainMd(SRC), src, srcMd);
            MemorySegment convWeights = inLayout(engine, stream, a, h.plainMd(WEIGHTS), weights, weightsMd);
            MemorySegment convDst = a.allocate(Math.max(64, DnnlHandles.size(dstMd)), 64);
            MemorySegment args = dnnl_exec_arg_t.allocateArray(5, a);
            ExecArgs.set(args, 0, DNNL_ARG_SRC(), h.memory(engine, srcMd, convSrc));
            ExecArgs.set(args, 1, DNNL_ARG_WEIGHTS(), h.memory(engine, weightsMd, convWeights));
            ExecArgs.set(args, 2, DNNL_ARG_BIAS(), h.memory(engine, h.plainMd(BIAS), bias));
            ExecArgs.set(args, 3, DNNL_ARG_DST(), h.memory(engine, dstMd, convDst));
            int count = 4;
            if (scratchBytes > 0) {
                ExecArgs.set(args, count++, DNNL_ARG_SCRATCHPAD(),
                        h.memory(engine, scratchMd, a.allocate(scratchBytes, 64)));
            }
            Dnnl.check(dnnl_primitive_execute(h.primitive(pd), stream, count, args), "dnnl_primitive_execute(bf16 probe)");
            Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
            reorder(engine, stream, dstMd, convDst, h.plainMd(DST), dst);
            return CpuGraphCompiler.implInfo(pd);
        }
    }

    /** {@code data} (plain layout) itself when {@code wanted} is plain too, else a reordered copy in {@code a}. */
    private static MemorySegment inLayout(MemorySegment engine, MemorySegment stream, Arena a,
            MemorySegment plainMd, MemorySegment data, MemorySegment wanted) {
        if (DnnlHandles.sameLayout(plainMd, wanted)) {
            return data;
        }
        MemorySegment copy = a.allocate(Math.max(64, DnnlHandles.size(wanted)), 64);
        reorder(engine, stream, plainMd, data, wanted, copy);
        return copy;
    }

    private static void reorder(MemorySegment engine, MemorySegment stream, MemorySegment fromMd, MemorySegment from,
            MemorySegment toMd, MemorySegment to) {
        try (Arena a = Arena.ofConfined(); DnnlHandles h = new DnnlHandles()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            // default attributes: oneDNN manages any scratchpad a reorder needs
            Dnnl.check(dnnl_reorder_primitive_desc_create(out, fromMd, engine, toMd, engine, MemorySegment.NULL),
                    "dnnl_reorder_primitive_desc_create(bf16 probe)");
            MemorySegment pd = h.ownPd(out.get(ValueLayout.ADDRESS, 0));
            MemorySegment args = dnnl_exec_arg_t.allocateArray(2, a);
            ExecArgs.set(args, 0, DNNL_ARG_FROM(), h.memory(engine, fromMd, from));
            ExecArgs.set(args, 1, DNNL_ARG_TO(), h.memory(engine, toMd, to));
            Dnnl.check(dnnl_primitive_execute(h.primitive(pd), stream, 2, args), "dnnl_primitive_execute(bf16 probe reorder)");
            Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
        }
    }
}
