package dev.affect.engine.model.heads;

import static dev.affect.engine.model.heads.HeadTesting.assertClose;
import static dev.affect.engine.model.heads.HeadTesting.report;
import static dev.affect.engine.model.heads.HeadTesting.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The LSTM head of fixtures/reference (lstm 512->128, fc 128->512, ReLU, raw {@code out} 512->2)
 * against PyTorch: whole sequences, final state, and one frame at a time carrying the state, through
 * both {@link LstmHead#sequence} and cross-sequence {@link LstmHead#step} batches. Tolerance
 * |a - b| <= 1e-5 + 1e-4 |b| (PyTorch's own streaming vs whole-sequence gap is 4.5e-8 / 6.3e-7).
 */
class LstmHeadFixtureTest {
    static final double ABS = 1e-5;
    static final double REL = 1e-4;
    static final int B = 2;
    static final int T = 10;

    static Tensor npy(String name) throws IOException {
        return NpyReader.read(SharedFixtures.reference(name));
    }

    static LstmHead load(Backend backend, HeadOptions options) throws IOException {
        Head h = Head.load(CheckpointFiles.read(SharedFixtures.reference("lstm_head.pth")), backend, options);
        return assertInstanceOf(LstmHead.class, h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void wholeSequenceAndFinalStateMatchPyTorch(String backendName) throws IOException {
        Tensor x = npy("lstm_input.npy");
        Tensor expected = npy("lstm_output.npy");
        Tensor h = npy("lstm_h.npy");
        Tensor c = npy("lstm_c.npy");
        try (Backend backend = HeadTesting.open(backendName); LstmHead head = load(backend, HeadOptions.defaults());
             TensorScope scope = new TensorScope()) {
            assertEquals("out", head.key());
            assertEquals(Optional.empty(), head.task());
            assertEquals(512, head.inputSize());
            assertEquals(128, head.hiddenSize());
            assertEquals(512, head.fcSize());
            assertEquals(2, head.outputSize());
            double worstOut = 0;
            double worstState = 0;
            for (int b = 0; b < B; b++) {
                HeadState state = head.newState(scope);
                Tensor out = Tensor.zeros(Shape.of(T, 2));
                head.sequence(rows(x, b * T, (b + 1) * T), state, out); // raw head: values are the raw outputs
                worstOut = Math.max(worstOut, assertClose(out, rows(expected, b * T, (b + 1) * T), ABS, REL, "output " + b));
                worstState = Math.max(worstState, assertClose(state.h(), rows(h, b, b + 1), ABS, REL, "h_n " + b));
                worstState = Math.max(worstState, assertClose(state.c(), rows(c, b, b + 1), ABS, REL, "c_n " + b));
                Tensor raw = Tensor.zeros(Shape.of(T, 2));
                state.reset();
                head.sequenceRaw(rows(x, b * T, (b + 1) * T), state, raw);
                assertEquals(0.0, Tensors.maxAbsDiff(raw, out), "sequenceRaw equals sequence for a raw head");
            }
            report(backendName + " lstm_head whole sequence, max |diff| output", worstOut);
            report(backendName + " lstm_head whole sequence, max |diff| final (h, c)", worstState);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void oneFrameAtATimeMatchesPyTorchStreaming(String backendName) throws IOException {
        Tensor x = npy("lstm_input.npy");
        Tensor expected = npy("lstm_stream_output.npy");
        Tensor h = npy("lstm_h.npy");
        Tensor c = npy("lstm_c.npy");
        try (Backend backend = HeadTesting.open(backendName); LstmHead head = load(backend, HeadOptions.defaults());
             TensorScope scope = new TensorScope()) {
            // sequence() one frame per call
            double worst = 0;
            for (int b = 0; b < B; b++) {
                HeadState state = head.newState(scope);
                for (int t = 0; t < T; t++) {
                    int r = b * T + t;
                    Tensor out = Tensor.zeros(Shape.of(1, 2));
                    head.sequence(rows(x, r, r + 1), state, out);
                    worst = Math.max(worst, assertClose(out, rows(expected, r, r + 1), ABS, REL, "sequence frame " + r));
                }
                assertClose(state.h(), rows(h, b, b + 1), ABS, REL, "h_n " + b);
            }
            report(backendName + " lstm_head streaming via sequence(T=1), max |diff|", worst);

            // step(): both sequences in one batch per time step, rows in alternating order
            HeadState[] states = {head.newState(scope), head.newState(scope)};
            worst = 0;
            for (int t = 0; t < T; t++) {
                int first = t % 2;
                int second = 1 - first;
                Tensor batch = Tensor.zeros(Shape.of(2, 512));
                batch.slice(0, 1).copyFrom(rows(x, first * T + t, first * T + t + 1));
                batch.slice(1, 2).copyFrom(rows(x, second * T + t, second * T + t + 1));
                Tensor out = Tensor.zeros(Shape.of(2, 2));
                head.step(batch, List.of(states[first], states[second]), out);
                worst = Math.max(worst, assertClose(out.slice(0, 1), rows(expected, first * T + t, first * T + t + 1), ABS, REL,
                        "step t=" + t + " sequence " + first));
                worst = Math.max(worst, assertClose(out.slice(1, 2), rows(expected, second * T + t, second * T + t + 1), ABS, REL,
                        "step t=" + t + " sequence " + second));
            }
            for (int b = 0; b < B; b++) {
                worst = Math.max(worst, assertClose(states[b].h(), rows(h, b, b + 1), ABS, REL, "step h_n " + b));
                worst = Math.max(worst, assertClose(states[b].c(), rows(c, b, b + 1), ABS, REL, "step c_n " + b));
            }
            report(backendName + " lstm_head streaming via step(N=2, cross-sequence), max |diff|", worst);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void clipSplitsIntoAnyChunksGiveTheSameValues(String backendName) throws IOException {
        Tensor x = npy("lstm_input.npy");
        Tensor expected = npy("lstm_output.npy");
        Tensor h = npy("lstm_h.npy");
        // T = 10 as 4 + 4 + 1 + 1 with buckets {1, 4}; as ten T=1 executions with {1}; as 3 + 7 calls
        for (List<Integer> seq : List.of(List.of(1, 4), List.of(1))) {
            try (Backend backend = HeadTesting.open(backendName);
                 LstmHead head = load(backend, new HeadOptions(List.of(1, 3), seq)); TensorScope scope = new TensorScope()) {
                assertEquals(seq, head.sequenceBuckets());
                for (int b = 0; b < B; b++) {
                    HeadState state = head.newState(scope);
                    Tensor out = Tensor.zeros(Shape.of(T, 2));
                    head.sequence(rows(x, b * T, b * T + 3), state, out.slice(0, 3));
                    head.sequence(rows(x, b * T + 3, (b + 1) * T), state, out.slice(3, T));
                    assertClose(out, rows(expected, b * T, (b + 1) * T), ABS, REL, seq + " output " + b);
                    assertClose(state.h(), rows(h, b, b + 1), ABS, REL, seq + " h_n " + b);
                }
            }
        }
    }

    /** Small helpers on top of {@link dev.affect.engine.backend.Tensors}. */
    static final class Tensors {
        static double maxAbsDiff(Tensor a, Tensor b) {
            assertTrue(a.numel() == b.numel());
            double d = 0;
            for (long i = 0; i < a.numel(); i++) {
                d = Math.max(d, Math.abs(a.getDouble(i) - b.getDouble(i)));
            }
            return d;
        }
    }
}
