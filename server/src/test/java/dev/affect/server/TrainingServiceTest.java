package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.client.JobInfo;
import dev.affect.client.JobUpdate;
import dev.affect.client.ModelDescription;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.HeadKind;
import dev.affect.proto.v1.HyperParameters;
import dev.affect.proto.v1.JobEvent;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.JobState;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.jobs.DeterministicRunner;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.repository.DemoPipeline;
import dev.affect.server.repository.PipelineLoader;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** TrainingService on a real server on a real port, through the Java SDK, with the deterministic runner. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingServiceTest {
    Path dataRoot;
    Path outside;
    Backend backend;
    PipelineRegistry registry;
    ServerMain server;
    AffectClient client;
    ManagedChannel channel;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dataRoot = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(dataRoot.resolve("abaw"));
        Files.writeString(dataRoot.resolve("ddamfn.pth"), "stand-in: the deterministic runner does not read it");
        outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(outside.resolve("ddamfn.pth"), "x");
        Files.createSymbolicLink(dataRoot.resolve("escape"), outside);
        backend = Fixtures.backend();
        PipelineLoader loader = new PipelineLoader(backend, Ddamfn.Options.serving());
        registry = new PipelineRegistry();
        registry.register(DemoPipeline.create(loader));
        registry.register(loader.create("control", DemoWeights.ddamfn(), Map.of(Task.VA, DemoWeights.lstmHead(Task.VA)),
                "the demo pipeline's VA head, never promoted into", true));
        TrainingSetup training = new TrainingSetup(List.of(dataRoot), tmp.resolve("jobs"),
                new DeterministicRunner(5, 0, null), JobManager.Settings.defaults());
        server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1), registry, null, training);
        int port = server.start();
        client = AffectClient.connect("localhost", port);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        Fixtures.shutdown(channel, server);
        backend.close();
    }

    JobSpec.Builder spec() {
        return JobSpec.newBuilder().setTask(dev.affect.proto.v1.Task.TASK_VA).setHead(HeadKind.HEAD_FC)
                .setBackbone("ddamfn.pth").setDataRoot(dataRoot.resolve("abaw").toString())
                .setHyper(HyperParameters.newBuilder().setEpochs(2).setLearningRate(0.05).setSeed(5));
    }

    JobInfo runToEnd(JobSpec spec, List<JobUpdate> updates) {
        JobInfo started = client.startJob(spec);
        assertEquals(JobState.PENDING, started.state());
        return client.watchJob(started.id(), updates::add);
    }

    @Test
    void aJobIsStartedWatchedToItsEndAndListed() {
        List<JobUpdate> updates = new ArrayList<>();
        JobInfo end = runToEnd(spec().build(), updates);
        assertEquals(JobState.SUCCEEDED, end.state());
        assertEquals(JobEvent.Kind.SNAPSHOT, updates.getFirst().kind());
        assertTrue(updates.stream().anyMatch(u -> u.kind() == JobEvent.Kind.EPOCH && u.metrics().containsKey("p_va")),
                "epoch events carry validation metrics");
        assertTrue(updates.stream().anyMatch(u -> u.kind() == JobEvent.Kind.PROGRESS && u.metrics().containsKey("loss")));
        assertEquals(2, end.epoch());
        assertEquals(end.id(), client.getJob(end.id()).id());
        assertTrue(client.listJobs(JobState.SUCCEEDED).stream().anyMatch(j -> j.id().equals(end.id())));
        assertTrue(client.listJobs(JobState.FAILED).stream().noneMatch(j -> j.id().equals(end.id())));
        assertEquals(JobState.SUCCEEDED, client.cancelJob(end.id()).state(), "an ended job is not cancelled");
        assertThrows(AffectClientException.NotFound.class, () -> client.getJob("job-nonesuch"));
        assertThrows(AffectClientException.NotFound.class, () -> client.watchJob("job-nonesuch", u -> { }));
    }

    @Test
    void badHyperParametersAndTasksAreInvalidArgumentsNamingTheField() {
        assertField("spec.hyper.learning_rate", spec().setHyper(HyperParameters.newBuilder().setLearningRate(-0.1)));
        assertField("spec.hyper.window", spec().setHyper(HyperParameters.newBuilder().setWindow(0)));
        assertField("spec.hyper.epochs", spec().setHyper(HyperParameters.newBuilder().setEpochs(0)));
        assertField("spec.task", spec().setTaskValue(42));
        assertField("spec.task", spec().clearTask());
        assertField("spec.head", spec().clearHead());
    }

    @Test
    void pathsOutsideTheDataRootsArePermissionDenied() {
        for (String path : List.of(outside.resolve("ddamfn.pth").toString(), "../elsewhere/ddamfn.pth",
                "abaw/../../elsewhere/ddamfn.pth", "escape/ddamfn.pth")) {
            AffectClientException.PermissionDenied e = assertThrows(AffectClientException.PermissionDenied.class,
                    () -> client.startJob(spec().setBackbone(path).build()), path);
            assertTrue(e.getMessage().contains("spec.backbone"), e.getMessage());
        }
        assertThrows(AffectClientException.PermissionDenied.class,
                () -> client.startJob(spec().setDataRoot("/etc").build()));
        assertThrows(AffectClientException.NotFound.class, () -> client.startJob(spec().setBackbone("missing.pth").build()));
    }

    @Test
    void aDivergingJobFailsWithTheStepAndCannotBePromoted() {
        JobInfo end = runToEnd(spec().setHyper(HyperParameters.newBuilder().setLearningRate(DeterministicRunner.DIVERGING_LR)
                .setEpochs(3)).build(), new ArrayList<>());
        assertEquals(JobState.FAILED, end.state());
        assertEquals(DeterministicRunner.NAN_STEP, end.failedStep());
        assertTrue(end.error().contains("NaN"), end.error());
        assertThrows(AffectClientException.FailedPrecondition.class, () -> client.promoteJob(end.id(), "demo"));
    }

    @Test
    void promotionServesNewStreamsWhileOpenStreamsKeepTheirHead() throws Exception {
        JobInfo job = runToEnd(spec().build(), new ArrayList<>());
        ServedPipeline before = registry.resolve("demo");
        AffectServiceGrpc.AffectServiceStub stub = AffectServiceGrpc.newStub(channel);
        float[] face = face();
        StreamClient open = new StreamClient(stub);
        open.open(SessionOpen.newBuilder().setPipeline("demo").addTasks(dev.affect.proto.v1.Task.TASK_VA).build());
        float[] a1 = va(open, 1, face);

        ModelDescription promoted = client.promoteJob(job.id(), "demo");
        assertTrue(promoted.description().contains(job.id()), promoted.description());
        assertFalse(before == registry.resolve("demo"), "the registry serves a new pipeline under the name");

        StreamClient fresh = new StreamClient(stub);
        fresh.open(SessionOpen.newBuilder().setPipeline("demo").addTasks(dev.affect.proto.v1.Task.TASK_VA).build());
        float[] b1 = va(fresh, 1, face);
        float[] a2 = va(open, 2, face);
        StreamClient control = new StreamClient(stub);
        control.open(SessionOpen.newBuilder().setPipeline("control").addTasks(dev.affect.proto.v1.Task.TASK_VA).build());
        float[] c1 = va(control, 1, face);
        float[] c2 = va(control, 2, face);

        assertClose(c1, a1, "before promotion, the demo pipeline answered as the control");
        assertClose(c2, a2, "the open stream kept its LSTM head and state through the promotion");
        assertTrue(Math.abs(b1[0] - c1[0]) + Math.abs(b1[1] - c1[1]) > 1e-3, "a new stream uses the promoted head");
        assertTrue(before.isOpen(), "the old pipeline serves its open stream");

        for (StreamClient s : List.of(open, fresh, control)) {
            s.end();
            s.nextEvent();
            assertEquals(io.grpc.Status.Code.OK, s.status().getCode());
        }
        for (int i = 0; i < 600 && before.isOpen(); i++) {
            TimeUnit.MILLISECONDS.sleep(100); // the reaper checks once a second
        }
        assertFalse(before.isOpen(), "the replaced pipeline is freed once its last stream ended");
        assertTrue(registry.resolve("demo").isOpen(), "the promoted pipeline serves on");
    }

    private static float[] va(StreamClient s, long seq, float[] face) throws InterruptedException {
        s.frame(StreamFrame.newBuilder().setSequence(seq).setNormalized(StreamClient.rawTensor(face)));
        FrameResult r = s.results(1).getFirst();
        assertTrue(r.hasAffect(), r.toString());
        return new float[] {r.getAffect().getVa().getValence(), r.getAffect().getVa().getArousal()};
    }

    private static float[] face() {
        Random rng = new Random(3);
        float[] f = new float[3 * 112 * 112];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rng.nextGaussian();
        }
        return f;
    }

    private static void assertClose(float[] expected, float[] actual, String message) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4, message);
        }
    }

    private void assertField(String field, JobSpec.Builder spec) {
        AffectClientException.InvalidArgument e = assertThrows(AffectClientException.InvalidArgument.class,
                () -> client.startJob(spec.build()));
        assertTrue(e.description().startsWith(field + ":"), e.description());
    }
}
