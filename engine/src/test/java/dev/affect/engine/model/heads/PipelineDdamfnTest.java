package dev.affect.engine.model.heads;

import static dev.affect.engine.model.heads.HeadTesting.assertRelative;
import static dev.affect.engine.model.heads.HeadTesting.report;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pipeline on the real backbone: DDAMFN (fixtures/reference) with the reference LSTM head and
 * two training-case heads. The embeddings match PyTorch's {@code embedding.npy} and every head's
 * values match the head run on PyTorch's embeddings (1e-4 relative), as a clip and as a
 * cross-sequence step of four one-frame sequences.
 */
class PipelineDdamfnTest {
    static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void pipelineOnDdamfnMatchesPyTorch(String backendName) throws IOException {
        Tensor frames = NpyReader.read(SharedFixtures.reference("input.npy"));
        Tensor embedding = NpyReader.read(SharedFixtures.reference("embedding.npy"));
        int n = frames.shape().dim(0);
        Path training = SharedFixtures.dir("training");
        try (Backend backend = HeadTesting.open(backendName);
             Ddamfn ddamfn = Ddamfn.load(SharedFixtures.reference("ddamfn_8_class.pth"), backend);
             Head raw = Head.load(SharedFixtures.reference("lstm_head.pth"), backend);
             Head expr = Head.load(training.resolve("fc_expr_adam/init.safetensors"), backend);
             Head au = Head.load(training.resolve("lstm_au_adamw/init.safetensors"), backend);
             TensorScope scope = new TensorScope()) {
            Pipeline pipeline = Pipeline.of(ddamfn, List.of(raw, expr, au));
            PipelineOutput clip = pipeline.run(frames, pipeline.newState(scope), scope);
            report(backendName + " pipeline on DDAMFN: embeddings vs PyTorch, relative error",
                    assertRelative(clip.embeddings(), embedding, TOLERANCE, "embeddings"));

            // the same heads on PyTorch's embeddings
            for (Head h : pipeline.heads()) {
                Tensor expected = Tensor.zeros(Shape.of(n, h.outputSize()));
                switch (h) {
                    case FcHead f -> f.forward(embedding, expected);
                    case LstmHead l -> l.sequence(embedding, l.newState(scope), expected);
                }
                report(backendName + " pipeline on DDAMFN: " + h.key() + " clip vs heads on PyTorch embeddings, relative error",
                        assertRelative(clip.get(h.key()), expected, TOLERANCE, h.key()));
            }

            // four frames as four one-frame sequences in one step: each row is the frame's first step
            List<PipelineState> states = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                states.add(pipeline.newState(scope));
            }
            PipelineOutput step = pipeline.step(frames, states);
            for (Head h : pipeline.heads()) {
                Tensor expected = Tensor.zeros(Shape.of(n, h.outputSize()));
                for (int i = 0; i < n; i++) {
                    switch (h) {
                        case FcHead f -> f.forward(embedding.slice(i, i + 1), expected.slice(i, i + 1));
                        case LstmHead l -> l.sequence(embedding.slice(i, i + 1), l.newState(scope), expected.slice(i, i + 1));
                    }
                }
                assertRelative(step.get(h.key()), expected, TOLERANCE, h.key() + " step");
            }
            assertEquals(Shape.of(n, 8), clip.get(Task.EXPR).shape());
        }
    }
}
