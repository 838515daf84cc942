package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Activation;
import dev.affect.engine.backend.Binary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a primitive attribute: user-managed scratchpad (so execution never allocates) and a chain
 * of post-ops. Post-ops that read memory (PReLU slopes, binary operands) record which execution
 * argument must carry that memory.
 */
final class PostOps implements AutoCloseable {
    /** An extra execution argument a post-op needs: arg id and the plan value or constant to bind. */
    record ExtraArg(int arg, Object source) {
    }

    private final MemorySegment attr;
    private final MemorySegment ops;
    private final List<ExtraArg> extraArgs = new ArrayList<>();
    private int count;

    PostOps() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_primitive_attr_create(out), "dnnl_primitive_attr_create");
            attr = out.get(ValueLayout.ADDRESS, 0);
            Dnnl.check(dnnl_post_ops_create(out), "dnnl_post_ops_create");
            ops = out.get(ValueLayout.ADDRESS, 0);
        }
        Dnnl.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user()),
                "dnnl_primitive_attr_set_scratchpad_mode");
    }

    /** Lets convolutions and matmuls compute in bf16 (f32 memory, f32 accumulation). */
    PostOps bf16Math() {
        Dnnl.check(dnnl_primitive_attr_set_fpmath_mode(attr, dnnl_fpmath_mode_bf16()), "dnnl_primitive_attr_set_fpmath_mode");
        return this;
    }

    /** Appends an activation; a PReLU's slopes are bound from {@code slopes}. */
    void activation(Activation act, Object slopes) {
        switch (act.kind()) {
            case RELU -> eltwise(dnnl_eltwise_relu(), 0f, 0f);
            case SIGMOID -> eltwise(dnnl_eltwise_logistic(), 0f, 0f);
            case HSWISH -> eltwise(dnnl_eltwise_hardswish(), 1f / 6f, 0.5f);
            case PRELU -> {
                // mask bit 1: one slope per channel
                Dnnl.check(dnnl_post_ops_append_prelu(ops, 1 << 1), "dnnl_post_ops_append_prelu");
                extraArgs.add(new ExtraArg(Dnnl.argAttrMultiplePostOp(count) | DNNL_ARG_WEIGHTS(), slopes));
                count++;
            }
        }
    }

    private void eltwise(int alg, float alpha, float beta) {
        Dnnl.check(dnnl_post_ops_append_eltwise(ops, alg, alpha, beta), "dnnl_post_ops_append_eltwise");
        count++;
    }

    /** dst = dst (op) src1, with src1 described by md and bound from {@code source}. */
    void binary(Binary.Kind kind, MemorySegment src1Md, Object source) {
        Dnnl.check(dnnl_post_ops_append_binary(ops, binaryAlg(kind), src1Md), "dnnl_post_ops_append_binary");
        extraArgs.add(new ExtraArg(Dnnl.argAttrMultiplePostOp(count) | DNNL_ARG_SRC_1(), source));
        count++;
    }

    static int binaryAlg(Binary.Kind kind) {
        return switch (kind) {
            case ADD -> dnnl_binary_add();
            case MUL -> dnnl_binary_mul();
            case MAX -> dnnl_binary_max();
        };
    }

    List<ExtraArg> extraArgs() {
        return extraArgs;
    }

    /** The finished attribute; valid until close. */
    MemorySegment attr() {
        if (count > 0) {
            Dnnl.check(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops");
        }
        return attr;
    }

    @Override
    public void close() {
        Dnnl.check(dnnl_post_ops_destroy(ops), "dnnl_post_ops_destroy");
        Dnnl.check(dnnl_primitive_attr_destroy(attr), "dnnl_primitive_attr_destroy");
    }
}
