package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Binary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A primitive attribute for the graph IR: user-managed scratchpad (so that every context passes its
 * own, which makes a primitive safe to run from several threads at once) and a chain of post-ops.
 * Post-ops that read memory (PReLU slopes, binary operands) record the execution argument that must
 * carry it. Both native objects are destroyed by close, even when making the second one failed.
 */
final class Attr implements AutoCloseable {
    /** An extra execution argument a post-op needs. */
    record ExtraArg(int arg, CpuValue value) {
    }

    private final MemorySegment attr;
    private final MemorySegment ops;
    private final List<ExtraArg> extraArgs = new ArrayList<>();
    private int count;

    Attr() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_primitive_attr_create(out), "dnnl_primitive_attr_create");
            attr = out.get(ValueLayout.ADDRESS, 0);
            try {
                Dnnl.check(dnnl_post_ops_create(out), "dnnl_post_ops_create");
                ops = out.get(ValueLayout.ADDRESS, 0);
                Dnnl.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user()),
                        "dnnl_primitive_attr_set_scratchpad_mode");
            } catch (RuntimeException e) {
                dnnl_primitive_attr_destroy(attr);
                throw e;
            }
        }
    }

    /** Lets convolutions and matmuls compute in bf16 (f32 memory, f32 accumulation). */
    Attr bf16Math() {
        Dnnl.check(dnnl_primitive_attr_set_fpmath_mode(attr, dnnl_fpmath_mode_bf16()), "dnnl_primitive_attr_set_fpmath_mode");
        return this;
    }

    void eltwise(Activation act) {
        Eltwise e = Eltwise.of(act);
        Dnnl.check(dnnl_post_ops_append_eltwise(ops, e.alg(), e.alpha(), e.beta()), "dnnl_post_ops_append_eltwise");
        count++;
    }

    /** dst = alpha * dst + beta (a gradient's scale or sign). */
    void linear(float alpha, float beta) {
        Dnnl.check(dnnl_post_ops_append_eltwise(ops, dnnl_eltwise_linear(), alpha, beta), "dnnl_post_ops_append_eltwise");
        count++;
    }

    /** Per-channel PReLU; the slopes value must be described as [1, C, 1, ...]. */
    void prelu(CpuValue slopes) {
        // mask bit 1: one slope per channel
        Dnnl.check(dnnl_post_ops_append_prelu(ops, 1 << 1), "dnnl_post_ops_append_prelu");
        extraArgs.add(new ExtraArg(Dnnl.argAttrMultiplePostOp(count) | DNNL_ARG_WEIGHTS(), slopes));
        count++;
    }

    /** dst = dst (op) src1. */
    void binary(Binary.Kind kind, CpuValue src1) {
        Dnnl.check(dnnl_post_ops_append_binary(ops, binaryAlg(kind), src1.md), "dnnl_post_ops_append_binary");
        extraArgs.add(new ExtraArg(Dnnl.argAttrMultiplePostOp(count) | DNNL_ARG_SRC_1(), src1));
        count++;
    }

    static int binaryAlg(Binary.Kind kind) {
        return switch (kind) {
            case ADD -> dnnl_binary_add();
            case SUB -> dnnl_binary_sub();
            case MUL -> dnnl_binary_mul();
            case DIV -> dnnl_binary_div();
            case MAX -> dnnl_binary_max();
            case MIN -> dnnl_binary_min();
        };
    }

    List<ExtraArg> extraArgs() {
        return extraArgs;
    }

    /** The finished attribute; valid until close. */
    MemorySegment get() {
        if (count > 0) {
            Dnnl.check(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops");
        }
        return attr;
    }

    @Override
    public void close() {
        try {
            Dnnl.check(dnnl_post_ops_destroy(ops), "dnnl_post_ops_destroy");
        } finally {
            Dnnl.check(dnnl_primitive_attr_destroy(attr), "dnnl_primitive_attr_destroy");
        }
    }

    /** oneDNN's eltwise algorithm and parameters for an activation. */
    record Eltwise(int alg, float alpha, float beta) {
        static Eltwise of(Activation act) {
            return switch (act.kind()) {
                case RELU -> new Eltwise(dnnl_eltwise_relu(), 0f, 0f);
                case LEAKY_RELU -> new Eltwise(dnnl_eltwise_relu(), act.alpha(), 0f);
                case SIGMOID -> new Eltwise(dnnl_eltwise_logistic(), 0f, 0f);
                case TANH -> new Eltwise(dnnl_eltwise_tanh(), 0f, 0f);
                case HSWISH -> new Eltwise(dnnl_eltwise_hardswish(), 1f / 6f, 0.5f);
                case GELU_ERF -> new Eltwise(dnnl_eltwise_gelu_erf(), 0f, 0f);
                case GELU_TANH -> new Eltwise(dnnl_eltwise_gelu_tanh(), 0f, 0f);
                case QUICK_GELU -> new Eltwise(dnnl_eltwise_swish(), 1.702f, 0f);
            };
        }
    }
}
