package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineOutput;
import dev.affect.engine.model.heads.PipelineState;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.proto.v1.FrameResult;
import dev.affect.server.pipeline.ServedPipeline;
import java.util.ArrayList;
import java.util.List;

/** What a pipeline computes offline for frames run as one clip from a zero state, and checks that a served result matches it. */
final class OfflineReference {
    private OfflineReference() {
    }

    /** Writes frame {@code i} of the clip. */
    interface FrameWriter {
        void write(Tensor clip, int i) throws Exception;
    }

    /** {@code offline}'s values of {@code frames} frames, each written by {@code writer}, as [T][va, expr, au]. */
    static List<float[][]> run(ServedPipeline offline, int frames, FrameWriter writer) throws Exception {
        Pipeline p = offline.pipeline().orElseThrow();
        List<float[][]> out = new ArrayList<>();
        try (TensorScope scope = new TensorScope()) {
            PipelineState state = p.newState(scope);
            Tensor clip = scope.allocate(DType.F32, Ddamfn.inputShape(frames));
            for (int i = 0; i < frames; i++) {
                writer.write(clip, i);
            }
            PipelineOutput o = p.run(clip, state);
            for (int i = 0; i < frames; i++) {
                out.add(new float[][] {row(o.get("va"), i), row(o.get("expr"), i), row(o.get("au"), i)});
            }
        }
        return out;
    }

    static float[] row(Tensor t, int i) {
        return t.slice(i, i + 1).toFloatArray();
    }

    /** {@code r}'s affect is {@code expected} ([va, expr, au]) within 2e-5 each. */
    static void assertMatches(float[][] expected, FrameResult r, String what) {
        assertTrue(r.hasAffect(), what + ": " + r);
        var a = r.getAffect();
        assertClose(expected[0], new float[] {a.getVa().getValence(), a.getVa().getArousal()}, what + " va");
        float[] expr = new float[8];
        for (int k = 0; k < 8; k++) {
            expr[k] = a.getExpression().getProbabilities(k).getProbability();
        }
        assertClose(expected[1], expr, what + " expr");
        float[] au = new float[12];
        for (int k = 0; k < 12; k++) {
            au[k] = a.getActionUnits().getUnits(k).getProbability();
        }
        assertClose(expected[2], au, what + " au");
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 2e-5, what + " value " + k);
        }
    }
}
