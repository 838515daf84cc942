package dev.affect.engine.model.heads;

import static dev.affect.engine.model.heads.HeadTesting.assertRelative;
import static dev.affect.engine.model.heads.HeadTesting.report;
import static dev.affect.engine.model.heads.HeadTesting.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every FC and LSTM head case of fixtures/training: from {@code init.safetensors} and {@code x.npy}
 * (B = 4 windows of T = 10 frames), the task layer's output before the activation equals
 * {@code init_out.npy} (40, n), row b*T + t, within 1e-4 relative (case.json: "raw task-layer output
 * (pre-activation)"). LSTM windows run as whole sequences and as cross-sequence steps of the four
 * windows; the activated values equal the task's activation of the raw ones.
 */
class TrainingCaseHeadTest {
    static final double TOLERANCE = 1e-4;
    static final int B = 4;
    static final int T = 10;
    static final List<String> CASES = List.of("fc_va_adam", "fc_expr_adam", "fc_au_adam", "lstm_va_adam", "lstm_expr_adam",
            "lstm_au_adamw");

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String backend : HeadTesting.BACKENDS) {
            for (String c : CASES) {
                a.add(Arguments.of(backend, c));
            }
        }
        return a.stream();
    }

    static Task taskOf(String c) {
        return c.contains("_va_") ? Task.VA : c.contains("_expr_") ? Task.EXPR : Task.AU;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void initialOutputMatchesPyTorch(String backendName, String caseName) throws IOException {
        Path dir = SharedFixtures.dir("training").resolve(caseName);
        Tensor x = NpyReader.read(dir.resolve("x.npy"));
        Tensor expected = NpyReader.read(dir.resolve("init_out.npy"));
        Task task = taskOf(caseName);
        assertEquals(Shape.of(B * T, task.outputSize()), expected.shape());
        try (Backend backend = HeadTesting.open(backendName);
             Head head = Head.load(CheckpointFiles.read(dir.resolve("init.safetensors")), backend, HeadOptions.defaults())) {
            assertEquals(Optional.of(task), head.task());
            assertEquals(task.key(), head.key());
            assertEquals(task.labels(), head.labels());
            assertEquals(caseName.startsWith("lstm"), head instanceof LstmHead);
            Tensor flat = x.reshape(Shape.of(B * T, 512));
            Tensor raw = Tensor.zeros(Shape.of(B * T, task.outputSize()));
            Tensor values = Tensor.zeros(Shape.of(B * T, task.outputSize()));
            switch (head) {
                case FcHead f -> {
                    f.forwardRaw(flat, raw);
                    f.forward(flat, values);
                }
                case LstmHead l -> {
                    try (TensorScope scope = new TensorScope()) {
                        for (int b = 0; b < B; b++) {
                            HeadState state = l.newState(scope);
                            l.sequenceRaw(rows(flat, b * T, (b + 1) * T), state, raw.slice(b * T, (b + 1) * T));
                            state.reset();
                            l.sequence(rows(flat, b * T, (b + 1) * T), state, values.slice(b * T, (b + 1) * T));
                        }
                        // the four windows advanced together, one cross-sequence step per time index
                        List<HeadState> states = new ArrayList<>();
                        for (int b = 0; b < B; b++) {
                            states.add(l.newState(scope));
                        }
                        Tensor stepped = Tensor.zeros(expected.shape());
                        Tensor batch = Tensor.zeros(Shape.of(B, 512));
                        Tensor out = Tensor.zeros(Shape.of(B, task.outputSize()));
                        for (int t = 0; t < T; t++) {
                            for (int b = 0; b < B; b++) {
                                batch.slice(b, b + 1).copyFrom(rows(flat, b * T + t, b * T + t + 1));
                            }
                            l.stepRaw(batch, states, out);
                            for (int b = 0; b < B; b++) {
                                stepped.slice(b * T + t, b * T + t + 1).copyFrom(out.slice(b, b + 1));
                            }
                        }
                        report(backendName + " " + caseName + " init_out via step, relative error",
                                assertRelative(stepped, expected, TOLERANCE, caseName + " via step"));
                    }
                }
            }
            report(backendName + " " + caseName + " init_out, relative error", assertRelative(raw, expected, TOLERANCE, caseName));
            assertRelative(values, HeadTesting.activate(task, expected), TOLERANCE, caseName + " activated");
        }
    }
}
