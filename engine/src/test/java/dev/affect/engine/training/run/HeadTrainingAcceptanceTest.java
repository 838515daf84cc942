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
 * The fixtures hold no trained DDAMFN (reference/ddamfn_8_class is torch-seeded, untrained), so the
 * backbone is the demo one (random weights). Minutes of CPU (embedding 3000 frames, six runs), so it
 * runs only with {@code -Daffect.acceptance=true}; {@code -Daffect.acceptance.dir=DIR} reuses a set
 * and cache generated there before. The targets are asserted as stated, never relaxed.
 *
 * <p>Last measurement (20 videos x 150 frames, 12 epochs, batch 16, cosine with 1 warm-up epoch), best
 * epoch on validation: VA P_VA LSTM 0.262 / FC 0.203 (LSTM beats FC); EXPR F1 LSTM 0.294 / FC 0.277;
 * AU F1@0.5 LSTM 0.229 / FC 0.219 (optimised thresholds 0.462 / 0.465). The run FAILS the 0.5 targets:
 * the random demo backbone's embeddings carry too little of the faces (a ridge probe on the same
 * embeddings gives CCC ~0.25 too), so the targets need trained DDAMFN weights.
 */
@EnabledIfSystemProperty(named = "affect.acceptance", matches = "true")
class HeadTrainingAcceptanceTest {
    static final int VIDEOS = 20;
    static final int FRAMES = 150;

    @Test
    void lstmHeadsOnDdamfnEmbeddingsReachTheTargetsAndBeatFcOnVa(@TempDir Path tmp) throws IOException {
        RequiredBackend.require("cpu");
        Path dir = System.getProperty("affect.acceptance.dir") != null ? Path.of(System.getProperty("affect.acceptance.dir")) : tmp;
        if (!Files.isDirectory(dir.resolve("abaw"))) {
            SyntheticAbaw.write(dir.resolve("abaw"), VIDEOS, FRAMES, 7);
        }
        AbawDataset dataset = AbawDataset.open(dir.resolve("abaw"));
        Map<AbawTask, Double> lstm = new EnumMap<>(AbawTask.class);
        Map<AbawTask, Double> fc = new EnumMap<>(AbawTask.class);
        try (Backend cpu = Backends.open("cpu");
             Backend reference = Backends.open("reference");
             Ddamfn backbone = Ddamfn.create(DemoWeights.ddamfn(), cpu, Ddamfn.Options.serving())) {
            EmbeddingCache cache = new EmbeddingCache(dir.resolve("cache"), BackboneHash.of(backbone.parameters()), backbone,
                    dataset, new FacePreprocessor(ImageDecoder.best()), 32);
            for (AbawTask task : AbawTask.values()) {
                for (HeadKind head : HeadKind.values()) {
                    RunConfig c = RunConfig.defaults(task, head).withEpochs(12).withBatch(16).withSeed(1)
                            .withSchedule(LrSchedule.cosine(1));
                    RunResult r = HeadTrainingRun.start(tmp.resolve("runs").resolve(task + "-" + head), c,
                            RunData.open(dataset, cache, c), GraphTrainableHead.on(reference), RunListener.NONE, () -> false);
                    EpochRecord best = r.state().bestEpoch().orElseThrow();
                    double score = best.value(Metric.defaultFor(task));
                    System.out.println("acceptance " + task + " " + head + ": best epoch " + best.epoch() + " " + best.metrics());
                    (head == HeadKind.LSTM ? lstm : fc).put(task, score);
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
