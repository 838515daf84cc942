package dev.affect.engine.training.run;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.cache.BackboneHash;
import dev.affect.engine.data.cache.EmbeddingCache;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.training.data.WindowSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's acceptance: on a synthetic set, DDAMFN embeddings + LSTM heads reach on the validation
 * split CCC_VA >= 0.5, F1_EXPR >= 0.5 and F1_AU >= 0.5, and the LSTM head beats the FC head on VA.
 * The fixtures hold no trained DDAMFN, so the pipeline is the paper's from scratch: the demo
 * (random) DDAMFN fine-tuned whole on the set's EXPR frames ({@link BackboneTrainingRun}), then its
 * embeddings cached and the FC and LSTM heads trained on them for every task, with the same settings
 * for both heads. About 20 minutes of two cores (the fine-tuning is most of it), so it runs only with
 * {@code -Daffect.acceptance=true}; {@code -Daffect.acceptance.dir=DIR} keeps the set, the
 * fine-tuned backbone and the cache there, and a rerun trains only the heads. The targets are
 * asserted as stated.
 *
 * <p>Measured (2026-12-03, Zen 4 avx512_core_bf16; 30 videos x 100 frames, seed 7): fine-tuning 4
 * epochs, validation F1 0.543 / 0.533 / 0.497 / 0.570; then on the validation split, best epoch:
 * LSTM P_VA 0.655 (FC 0.583), F1_EXPR 0.571 (FC 0.546), F1_AU 0.671 (FC 0.603; optimised
 * thresholds 0.737 / 0.708).
 */
@EnabledIfSystemProperty(named = "affect.acceptance", matches = "true")
class HeadTrainingAcceptanceTest {
    static final int VIDEOS = Integer.getInteger("affect.acceptance.videos", 30);
    static final int FRAMES = Integer.getInteger("affect.acceptance.frames", 100);
    static final int FINE_TUNE_EPOCHS = Integer.getInteger("affect.acceptance.finetune", 4);
    static final int HEAD_EPOCHS = Integer.getInteger("affect.acceptance.epochs", 12);
    /** Both heads train on overlapping 30-frame windows and are validated on 30-frame tiles. */
    static final int WINDOW = Integer.getInteger("affect.acceptance.window", 30);
    static final int STRIDE = Integer.getInteger("affect.acceptance.stride", 5);
    /** From random weights, not the authors' pretrained ones: ten times their fine-tuning rate. */
    static final double FINE_TUNE_LR = Double.parseDouble(System.getProperty("affect.acceptance.lr", "1e-3"));

    @Test
    void lstmHeadsOnDdamfnEmbeddingsReachTheTargetsAndBeatFcOnVa(@TempDir Path tmp) throws IOException {
        RequiredBackend.require("cpu");
        Path dir = System.getProperty("affect.acceptance.dir") != null ? Path.of(System.getProperty("affect.acceptance.dir")) : tmp;
        if (!Files.isDirectory(dir.resolve("abaw"))) {
            SyntheticAbaw.write(dir.resolve("abaw"), VIDEOS, FRAMES, 7);
        }
        AbawDataset dataset = AbawDataset.open(dir.resolve("abaw"));
        FacePreprocessor faces = new FacePreprocessor(ImageDecoder.best());
        Map<AbawTask, Double> lstm = new EnumMap<>(AbawTask.class);
        Map<AbawTask, Double> fc = new EnumMap<>(AbawTask.class);
        try (Backend cpu = Backends.open("cpu")) {
            Path tuned = dir.resolve("finetune");
            if (!Files.isRegularFile(tuned.resolve(RunDirectory.BACKBONE))) {
                RunConfig c = RunConfig.defaults(AbawTask.EXPR, HeadKind.BACKBONE).withEpochs(FINE_TUNE_EPOCHS).withSeed(1)
                        .withOptimizer(OptimizerKind.ADAM, FINE_TUNE_LR, 0);
                RunResult r = BackboneTrainingRun.start(tuned, c, dataset, DemoWeights.ddamfn(), cpu, faces,
                        RunListener.NONE, () -> false);
                System.out.println("acceptance fine-tune: " + r.state().history());
            }
            try (Ddamfn backbone = Ddamfn.load(tuned.resolve(RunDirectory.BACKBONE), cpu, Ddamfn.Options.serving())) {
                EmbeddingCache cache = new EmbeddingCache(dir.resolve("cache"), BackboneHash.of(backbone.parameters()),
                        backbone, dataset, faces, 32);
                for (AbawTask task : AbawTask.values()) {
                    for (HeadKind head : new HeadKind[] {HeadKind.FC, HeadKind.LSTM}) {
                        RunConfig c = RunConfig.defaults(task, head).withEpochs(HEAD_EPOCHS).withBatch(16).withSeed(1)
                                .withSchedule(LrSchedule.cosine(1)).withWindow(new WindowSpec(WINDOW, STRIDE));
                        RunResult r = HeadTrainingRun.start(tmp.resolve("runs").resolve(task + "-" + head), c,
                                RunData.open(dataset, cache, c), GraphTrainableHead.on(cpu), RunListener.NONE, () -> false);
                        EpochRecord best = r.state().bestEpoch().orElseThrow();
                        System.out.println("acceptance " + task + " " + head + ": best epoch " + best.epoch() + " "
                                + best.metrics());
                        (head == HeadKind.LSTM ? lstm : fc).put(task, best.value(Metric.defaultFor(task)));
                    }
                }
            }
        }
        assertAll(
                () -> assertTrue(lstm.get(AbawTask.VA) >= 0.5, "LSTM CCC_VA " + lstm.get(AbawTask.VA)),
                () -> assertTrue(lstm.get(AbawTask.EXPR) >= 0.5, "LSTM F1_EXPR " + lstm.get(AbawTask.EXPR)),
                () -> assertTrue(lstm.get(AbawTask.AU) >= 0.5, "LSTM F1_AU " + lstm.get(AbawTask.AU)),
                () -> assertTrue(lstm.get(AbawTask.VA) > fc.get(AbawTask.VA),
                        "LSTM CCC_VA " + lstm.get(AbawTask.VA) + " vs FC " + fc.get(AbawTask.VA)));
    }
}
