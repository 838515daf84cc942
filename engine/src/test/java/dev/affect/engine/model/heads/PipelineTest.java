package dev.affect.engine.model.heads;

import static dev.affect.engine.model.heads.HeadTesting.assertClose;
import static dev.affect.engine.model.heads.HeadTesting.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pipeline over a stand-in backbone and random heads of every kind (VA FC, EXPR LSTM, AU LSTM, a
 * raw FC and a raw LSTM head): one backbone pass per frame, values equal to the heads run on the
 * backbone's embeddings, clips split anywhere equal the whole clip, and cross-sequence steps equal
 * per-sequence runs.
 */
class PipelineTest {
    static final int D = 24;
    static final int H = 7;
    static final int F = 16;
    static final double EXACT = 1e-6;

    /** Frames [n, 3, 112, 112] that are constant over each channel quadrant, random per frame. */
    static Tensor frames(Random rng, int n) {
        int side = 112;
        Tensor t = Tensor.zeros(Shape.of(n, 3, side, side));
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float[] q = new float[4];
                for (int k = 0; k < 4; k++) {
                    q[k] = (float) rng.nextGaussian();
                }
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        t.setFloat((((long) i * 3 + c) * side + y) * side + x, q[(y < side / 2 ? 0 : 2) + (x < side / 2 ? 0 : 1)]);
                    }
                }
            }
        }
        return t;
    }

    static final class Fixture implements AutoCloseable {
        final Backend backend;
        final PoolingTestBackbone backbone = new PoolingTestBackbone(D, 7);
        final List<Head> heads = new ArrayList<>();
        final Pipeline pipeline;

        Fixture(String backendName, HeadOptions options) {
            backend = HeadTesting.open(backendName);
            Random rng = new Random(11);
            try {
                heads.add(Head.load(HeadTesting.randomHead(rng, false, "va", D, 0, F, 2), backend, options));
                heads.add(Head.load(HeadTesting.randomHead(rng, true, "expr", D, H, F, 8), backend, options));
                heads.add(Head.load(HeadTesting.randomHead(rng, true, "au", D, H + 2, F, 12), backend, options));
                heads.add(Head.load(HeadTesting.randomHead(rng, false, "logits", D, 0, F, 5), backend, options));
                heads.add(Head.load(HeadTesting.randomHead(rng, true, "out", D, 3, F, 3), backend, options));
                pipeline = Pipeline.of(backbone, heads);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            heads.forEach(Head::close);
            backend.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void clipRunsEveryHeadOnOneBackbonePass(String backendName) {
        Random rng = new Random(1);
        int t = 10;
        Tensor clip = frames(rng, t);
        try (Fixture f = new Fixture(backendName, HeadOptions.defaults()); TensorScope scope = new TensorScope()) {
            PipelineState state = f.pipeline.newState(scope);
            assertEquals(Set.of("expr", "au", "out"), state.states().keySet());
            PipelineOutput out = f.pipeline.run(clip, state, scope);
            assertEquals(1, f.backbone.calls.get(), "one backbone call for the clip");
            assertEquals(t, f.backbone.embedded.get(), "each frame embedded once");
            assertEquals(List.of("va", "expr", "au", "logits", "out"), List.copyOf(out.values().keySet()));

            Tensor emb = Tensor.zeros(Shape.of(t, D));
            f.backbone.embed(clip, emb);
            assertClose(out.embeddings(), emb, 0, 0, "embeddings");
            try (TensorScope own = new TensorScope()) {
                for (Head h : f.heads) {
                    Tensor expected = Tensor.zeros(Shape.of(t, h.outputSize()));
                    Tensor raw = Tensor.zeros(Shape.of(t, h.outputSize()));
                    switch (h) {
                        case FcHead fc -> {
                            fc.forward(emb, expected);
                            fc.forwardRaw(emb, raw);
                        }
                        case LstmHead l -> {
                            HeadState s = l.newState(own);
                            l.sequence(emb, s, expected);
                            assertClose(state.of(l.key()).h(), s.h(), 0, 0, h.key() + " final h");
                            assertClose(state.of(l.key()).c(), s.c(), 0, 0, h.key() + " final c");
                            s.reset();
                            l.sequenceRaw(emb, s, raw);
                        }
                    }
                    assertEquals(Shape.of(t, h.outputSize()), out.get(h.key()).shape());
                    assertClose(out.get(h.key()), expected, 0, 0, h.key());
                    Tensor activated = h.task().map(task -> HeadTesting.activate(task, raw)).orElse(raw);
                    assertClose(out.get(h.key()), activated, 1e-6, 1e-5, h.key() + " is the task activation of the raw output");
                }
            }
            Tensor expr = out.get(Task.EXPR);
            for (int r = 0; r < t; r++) {
                double sum = 0;
                for (int k = 0; k < 8; k++) {
                    sum += expr.getFloat(r * 8L + k);
                }
                assertEquals(1.0, sum, 1e-5, "expr probabilities of frame " + r);
            }
            for (float v : out.get(Task.VA).toFloatArray()) {
                assertTrue(v >= -1 && v <= 1);
            }
            for (float v : out.get(Task.AU).toFloatArray()) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void clipInPiecesEqualsTheWholeClip(String backendName) {
        Random rng = new Random(2);
        int t = 11;
        Tensor clip = frames(rng, t);
        try (Fixture f = new Fixture(backendName, HeadOptions.defaults()); TensorScope scope = new TensorScope()) {
            PipelineState whole = f.pipeline.newState(scope);
            PipelineOutput all = f.pipeline.run(clip, whole);
            double worst = 0;
            for (int[] cuts : List.of(new int[] {0, 4, 11}, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new int[] {0, 10, 11})) {
                PipelineState s = f.pipeline.newState(scope);
                for (int i = 0; i + 1 < cuts.length; i++) {
                    PipelineOutput part = f.pipeline.run(clip.slice(cuts[i], cuts[i + 1]), s);
                    for (String key : all.values().keySet()) {
                        worst = Math.max(worst, assertClose(part.get(key), all.get(key).slice(cuts[i], cuts[i + 1]), EXACT, EXACT,
                                key + " frames " + cuts[i] + ".." + cuts[i + 1]));
                    }
                }
                for (Map.Entry<String, HeadState> e : s.states().entrySet()) {
                    assertClose(e.getValue().h(), whole.of(e.getKey()).h(), EXACT, EXACT, e.getKey() + " h");
                    assertClose(e.getValue().c(), whole.of(e.getKey()).c(), EXACT, EXACT, e.getKey() + " c");
                }
            }
            report(backendName + " pipeline clip in pieces vs whole, max |diff|", worst);
            // reset starts the sequence over
            whole.reset();
            assertClose(f.pipeline.run(clip, whole).get("expr"), all.get("expr"), 0, 0, "after reset");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void crossSequenceStepsEqualPerSequenceRuns(String backendName) {
        Random rng = new Random(3);
        int[] lengths = {5, 3, 6, 1};
        List<Tensor> clips = new ArrayList<>();
        for (int len : lengths) {
            clips.add(frames(rng, len));
        }
        // batch buckets {1, 3}: 4 rows run as 3 + 1, 2 rows padded to 3
        try (Fixture f = new Fixture(backendName, new HeadOptions(List.of(1, 3), List.of(1, 2, 4)));
             TensorScope scope = new TensorScope()) {
            List<PipelineOutput> alone = new ArrayList<>();
            List<PipelineState> finals = new ArrayList<>();
            for (Tensor clip : clips) {
                PipelineState s = f.pipeline.newState(scope);
                alone.add(f.pipeline.run(clip, s));
                finals.add(s);
            }
            List<PipelineState> states = new ArrayList<>();
            for (int i = 0; i < lengths.length; i++) {
                states.add(f.pipeline.newState(scope));
            }
            int callsBefore = f.backbone.calls.get();
            int steps = 0;
            double worst = 0;
            for (int t = 0; t < 6; t++) {
                // the sequences still running, in an order that rotates with t
                List<Integer> active = new ArrayList<>();
                for (int k = 0; k < lengths.length; k++) {
                    int seq = (k + t) % lengths.length;
                    if (t < lengths[seq]) {
                        active.add(seq);
                    }
                }
                Tensor batch = Tensor.zeros(Shape.of(active.size(), 3, 112, 112));
                List<PipelineState> rowStates = new ArrayList<>();
                for (int r = 0; r < active.size(); r++) {
                    batch.slice(r, r + 1).copyFrom(clips.get(active.get(r)).slice(t, t + 1));
                    rowStates.add(states.get(active.get(r)));
                }
                PipelineOutput out = f.pipeline.step(batch, rowStates);
                steps++;
                for (int r = 0; r < active.size(); r++) {
                    int seq = active.get(r);
                    for (String key : out.values().keySet()) {
                        worst = Math.max(worst, assertClose(out.get(key).slice(r, r + 1), alone.get(seq).get(key).slice(t, t + 1),
                                EXACT, EXACT, key + " of sequence " + seq + " at t=" + t));
                    }
                }
            }
            assertEquals(steps, f.backbone.calls.get() - callsBefore, "one backbone call per step");
            for (int i = 0; i < lengths.length; i++) {
                for (String key : finals.get(i).states().keySet()) {
                    assertClose(states.get(i).of(key).h(), finals.get(i).of(key).h(), EXACT, EXACT, key + " h of " + i);
                    assertClose(states.get(i).of(key).c(), finals.get(i).of(key).c(), EXACT, EXACT, key + " c of " + i);
                }
            }
            report(backendName + " pipeline cross-sequence step vs per-sequence run, max |diff|", worst);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void badCallsNameTheirInput(String backendName) {
        Random rng = new Random(4);
        try (Fixture f = new Fixture(backendName, HeadOptions.defaults()); Fixture g = new Fixture(backendName, HeadOptions.defaults());
             TensorScope scope = new TensorScope()) {
            PipelineState mine = f.pipeline.newState(scope);
            PipelineState other = g.pipeline.newState(scope);
            Tensor two = frames(rng, 2);
            // the caller's bugs (states are made by the server, not sent by a client)
            assertTrue(assertThrows(IllegalArgumentException.class, () -> f.pipeline.run(two, other)).getMessage().startsWith("state:"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> f.pipeline.step(two, List.of(mine))).getMessage()
                    .startsWith("rowStates:"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> f.pipeline.step(two, List.of(mine, other))).getMessage()
                    .startsWith("rowStates[1]:"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> f.pipeline.step(two, List.of(mine, mine))).getMessage()
                    .startsWith("states[1]:"), "one sequence twice in a step");
            // bad input
            assertEquals("frames", assertThrows(InvalidInputException.class,
                    () -> f.pipeline.run(Tensor.zeros(Shape.of(2, 3, 112)), mine)).field());
            assertEquals("va", assertThrows(InvalidInputException.class,
                    () -> Pipeline.of(f.backbone, List.of(f.heads.get(0), g.heads.get(0)))).field(), "two VA heads");
            try (Head wide = Head.load(HeadTesting.randomHead(rng, false, "au", D + 1, 0, F, 12), f.backend)) {
                assertEquals("au", assertThrows(InvalidInputException.class, () -> Pipeline.of(f.backbone, List.of(wide))).field());
            }
            // a pipeline of FC heads needs no state
            Pipeline fcOnly = Pipeline.of(f.backbone, List.of(f.heads.get(0), f.heads.get(3)));
            PipelineState none = fcOnly.newState(scope);
            assertTrue(none.states().isEmpty());
            PipelineOutput out = fcOnly.step(two, List.of(none, none));
            assertEquals(Shape.of(2, 2), out.get(Task.VA).shape());
        }
    }
}
