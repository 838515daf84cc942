package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawFrame;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.evaluation.DatasetEvaluator;
import dev.affect.engine.evaluation.SequencePredictor;
import dev.affect.engine.evaluation.TaskScorer;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.EvaluateRequest;
import dev.affect.proto.v1.EvaluateStart;
import dev.affect.proto.v1.EvaluationResult;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.FrameLabel;
import dev.affect.proto.v1.LabelledFrame;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.SyntheticJobData;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.repository.DemoPipeline;
import dev.affect.server.repository.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** EvaluationService on a real port: the demo pipeline scored on a synthetic data root and on streamed frames. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationServiceTest {
    Path data;
    Backend backend;
    PipelineRegistry registry;
    ServerMain server;
    AffectClient client;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        data = SyntheticJobData.write(tmp.resolve("data"));
        backend = Fixtures.backend();
        registry = new PipelineRegistry();
        registry.register(DemoPipeline.create(new PipelineLoader(backend, Ddamfn.Options.serving())));
        TrainingSetup training = new TrainingSetup(List.of(data), tmp.resolve("jobs"), null, JobManager.Settings.defaults());
        server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1), registry, null, training);
        client = AffectClient.connect("localhost", server.start());
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        Fixtures.shutdown(null, server);
        backend.close();
    }

    @Test
    void aDataRootIsScoredVideoByVideoAsTheEngineScoresIt() throws Exception {
        EvaluationResult r = client.evaluate(EvaluateRequest.newBuilder().setDataRoot(SyntheticJobData.DATA).build());
        assertEquals("demo", r.getPipeline());
        assertEquals(1, r.getVideos(), "the synthetic set's one validation video");
        assertEquals(SyntheticJobData.FRAMES, r.getFrames());
        assertEquals(java.util.Set.of("ccc_valence", "ccc_arousal", "p_va"), r.getScores(0).getMetricsMap().keySet());
        assertEquals(3, r.getScoresCount());

        AbawDataset dataset = AbawDataset.open(data.resolve(SyntheticJobData.DATA));
        ServedPipeline demo = registry.resolve("demo");
        DatasetEvaluator local = new DatasetEvaluator(new SequencePredictor(demo.pipeline().orElseThrow(),
                new FacePreprocessor(ImageDecoder.best()), 64));
        var expected = local.evaluate(dataset, AbawSplit.VALIDATION, local.videos(dataset, AbawSplit.VALIDATION,
                java.util.Set.of(Task.VA, Task.EXPR, Task.AU)), DatasetEvaluator.PredictionSink.NONE, () -> false);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.scores().get(i).frames(), r.getScores(i).getFrames());
            assertEquals(expected.scores().get(i).metrics(), r.getScores(i).getMetricsMap());
        }
    }

    @Test
    void streamedLabelledFramesAreScoredAsOneSequencePerVideo() throws Exception {
        AbawDataset dataset = AbawDataset.open(data.resolve(SyntheticJobData.DATA));
        String video = dataset.videos(AbawTask.VA, AbawSplit.VALIDATION).getFirst();
        List<AbawFrame> va = dataset.frames(AbawTask.VA, AbawSplit.VALIDATION, video);
        List<AbawFrame> expr = dataset.frames(AbawTask.EXPR, AbawSplit.VALIDATION, video);
        List<LabelledFrame> frames = new ArrayList<>();
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < va.size(); i++) {
            if (va.get(i).image().isEmpty()) {
                continue; // a stream carries images only
            }
            sent.add(i);
            frames.add(LabelledFrame.newBuilder().setVideo(video)
                    .setFrame(Frame.newBuilder().setImage(ByteString.copyFrom(Files.readAllBytes(va.get(i).image().get()))))
                    .setLabel(FrameLabel.newBuilder().setValence(va.get(i).label()[0]).setArousal(va.get(i).label()[1])
                            .setExpression((int) expr.get(i).label()[0]))
                    .build());
        }
        EvaluationResult r = client.evaluateStream(EvaluateStart.newBuilder().setPipeline("demo")
                .addTasks(dev.affect.proto.v1.Task.TASK_VA).addTasks(dev.affect.proto.v1.Task.TASK_EXPR).build(), frames);
        assertEquals(1, r.getVideos());
        assertEquals(sent.size(), r.getFrames());

        // the same frames through the engine: the sequence of frames with an image, scored where labelled
        ServedPipeline demo = registry.resolve("demo");
        DatasetEvaluator local = new DatasetEvaluator(new SequencePredictor(demo.pipeline().orElseThrow(),
                new FacePreprocessor(ImageDecoder.best()), 64));
        Map<Task, TaskScorer> scorers = new EnumMap<>(Map.of(Task.VA, new TaskScorer(Task.VA), Task.EXPR,
                new TaskScorer(Task.EXPR)));
        local.evaluate(dataset, AbawSplit.VALIDATION, Map.of(Task.VA, List.of(video), Task.EXPR, List.of(video)),
                (task, v, rows) -> sent.forEach(i -> scorers.get(task).add(
                        (task == Task.VA ? va : expr).get(i).label(), rows[i])), () -> false);
        assertEquals(scorers.get(Task.VA).score().metrics(), r.getScores(0).getMetricsMap());
        assertEquals(scorers.get(Task.EXPR).score().metrics(), r.getScores(1).getMetricsMap());
    }

    @Test
    void badRequestsGetPreciseStatuses() {
        assertThrows(AffectClientException.PermissionDenied.class,
                () -> client.evaluate(EvaluateRequest.newBuilder().setDataRoot("/etc").build()));
        assertMessage(assertThrows(AffectClientException.InvalidArgument.class, () -> client.evaluate(
                EvaluateRequest.newBuilder().setDataRoot(SyntheticJobData.DATA).setSplit("test").build())), "split");
        assertThrows(AffectClientException.NotFound.class, () -> client.evaluate(
                EvaluateRequest.newBuilder().setDataRoot(SyntheticJobData.DATA).setPipeline("nonesuch").build()));

        EvaluateStart start = EvaluateStart.newBuilder().addTasks(dev.affect.proto.v1.Task.TASK_EXPR).build();
        LabelledFrame bad = LabelledFrame.newBuilder().setVideo("v").setFrame(Frame.newBuilder()
                .setImage(ByteString.copyFromUtf8("not an image"))).build();
        assertMessage(assertThrows(AffectClientException.InvalidArgument.class,
                () -> client.evaluateStream(start, List.of(bad))), "frames[0].frame.image");
        LabelledFrame badLabel = bad.toBuilder().setLabel(FrameLabel.newBuilder().setExpression(9)).build();
        assertMessage(assertThrows(AffectClientException.InvalidArgument.class,
                () -> client.evaluateStream(start, List.of(badLabel))), "frames[0].label.expression");
        assertEquals(1, registry.resolve("demo").references(), "every evaluation gave its reference back");
    }

    private static void assertMessage(AffectClientException e, String field) {
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
