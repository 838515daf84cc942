package dev.affect.server.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.HeadOptions;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.run.GraphTrainableHead;
import dev.affect.engine.training.run.TrainableHead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real trainer behind the job manager, on a small synthetic data set and the demo backbone. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeadJobRunnerTest {
    Path tmp;
    Path data;
    Path jobsDir;
    JobManager manager;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        data = SyntheticJobData.write(tmp.resolve("data"));
        jobsDir = tmp.resolve("jobs");
        manager = new JobManager(new JobStore(jobsDir), SyntheticJobData.runner(jobsDir), JobManagerTest.settings());
        manager.start();
    }

    @AfterAll
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void aHeadJobTrainsReportsItsMetricsAndKeepsTheBestCheckpoints() throws Exception {
        JobRecord job = manager.submit(SyntheticJobData.spec(data, Task.VA, HeadKind.FC, 3, 5));
        List<JobEvent> events = JobManagerTest.events(manager, job.id());
        JobRecord end = events.getLast().job();
        assertEquals(JobState.SUCCEEDED, end.state(), end.status().error());
        assertEquals(3, end.status().epoch());

        List<JobEvent> progress = events.stream().filter(e -> e.kind() == JobEvent.Kind.PROGRESS).toList();
        assertEquals(end.status().step(), progress.getLast().job().status().step(), "one progress event per step");
        assertEquals(List.of("loss", "lr", "windows_per_second"), progress.getFirst().metrics().stream()
                .map(MetricPoint::key).toList());
        assertTrue(progress.getFirst().job().status().etaMs() > 0, "the run's size gives an ETA from the first step");
        List<JobEvent> epochs = events.stream().filter(e -> e.kind() == JobEvent.Kind.EPOCH).toList();
        assertEquals(3, epochs.size());
        for (JobEvent e : epochs) {
            List<String> keys = e.metrics().stream().map(MetricPoint::key).toList();
            assertEquals(List.of("p_va", "ccc_v", "ccc_a", "train_loss"), keys, "validation scores then the epoch's loss");
            assertTrue(e.metrics().stream().allMatch(m -> Double.isFinite(m.value()) && m.step() == e.job().status().step()));
        }

        Path run = jobsDir.resolve(job.id()).resolve(JobStore.RUN_DIR);
        try (Stream<Path> kept = Files.list(run.resolve("checkpoints"))) {
            assertTrue(kept.count() <= 2, "keep_best 1: the best epoch and the last one (to resume) stay");
        }
        try (Backend backend = Backends.open("reference");
             Head head = Head.load(Path.of(end.status().headCheckpoint()), backend, HeadOptions.defaults())) {
            assertEquals(Task.VA, head.task().orElseThrow());
            assertEquals(512, head.inputSize());
        }
        try (Stream<Path> cached = Files.walk(jobsDir.resolve(JobEmbeddings.FOLDER))) {
            assertEquals(SyntheticJobData.VIDEOS, cached.filter(p -> p.toString().endsWith(".emb")).count(),
                    "every video embedded once, under the jobs folder");
        }
    }

    @Test
    void aJobStoppedByTheServerResumesWithTheUninterruptedWeights() throws Exception {
        JobSpec spec = SyntheticJobData.spec(data, Task.EXPR, HeadKind.LSTM, 3, 9);
        JobRecord uninterrupted = JobManagerTest.events(manager, manager.submit(spec).id()).getLast().job();
        assertEquals(JobState.SUCCEEDED, uninterrupted.state(), uninterrupted.status().error());

        Path otherJobs = tmp.resolve("restarted-jobs");
        JobManager first = new JobManager(new JobStore(otherJobs), SyntheticJobData.runner(otherJobs),
                JobManagerTest.settings());
        first.start();
        JobRecord job = first.submit(spec);
        long stepsPerEpoch = uninterrupted.status().step() / 3;
        JobManagerTest.awaitStep(first, job.id(), stepsPerEpoch + 1); // into the second epoch
        first.close(); // the server stops: the job stays RUNNING on disk
        assertEquals(JobState.RUNNING, new JobStore(otherJobs).loadAll().getFirst().state());

        JobManager second = new JobManager(new JobStore(otherJobs), SyntheticJobData.runner(otherJobs),
                JobManagerTest.settings());
        try {
            second.start();
            JobRecord end = JobManagerTest.events(second, job.id()).getLast().job();
            assertEquals(JobState.SUCCEEDED, end.state(), end.status().error());
            assertTrue(end.status().resumedFromEpoch() >= 1, "resumed after a checkpointed epoch");
            assertArrayEquals(Files.readAllBytes(Path.of(uninterrupted.status().headCheckpoint())),
                    Files.readAllBytes(Path.of(end.status().headCheckpoint())), "bit-identical to the uninterrupted run");
        } finally {
            second.close();
        }
    }

    @Test
    void aDivergingHeadFailsWithTheGlobalStepWhereTheLossStoppedBeingFinite() throws Exception {
        int nanAt = 6; // the second step of the second epoch (four steps an epoch)
        HeadJobRunner runner = new HeadJobRunner(new JobEmbeddings(jobsDir.resolve(JobEmbeddings.FOLDER),
                SyntheticJobData.backbone()), () -> Backends.open("reference"), b -> nanAtStep(GraphTrainableHead.on(b), nanAt));
        Path otherJobs = tmp.resolve("diverging-jobs");
        try (JobManager m = new JobManager(new JobStore(otherJobs), runner, JobManagerTest.settings())) {
            JobRecord job = m.submit(SyntheticJobData.spec(data, Task.VA, HeadKind.FC, 3, 5));
            JobRecord end = JobManagerTest.events(m, job.id()).getLast().job();
            assertEquals(JobState.FAILED, end.state());
            assertEquals(nanAt, end.status().failedStep());
            assertTrue(end.status().error().contains("epoch 2, step 2"), end.status().error());
            assertEquals(1, end.status().epoch(), "the first epoch was checkpointed");
        }
    }

    @Test
    void aFullFineTuneJobTrainsTheWholeBackboneIntoACheckpointThatServes() throws Exception {
        JobSpec spec = new JobSpec(Task.EXPR, HeadKind.FULL_FINE_TUNE, data.resolve(SyntheticJobData.BACKBONE).toString(),
                data.resolve(SyntheticJobData.DATA).toString(), new Hyper(1e-3, 1, 16, 10, 0, 3), 0, 1, "", "").normalized();
        JobRecord job = manager.submit(spec);
        List<JobEvent> events = JobManagerTest.events(manager, job.id());
        JobRecord end = events.getLast().job();
        assertEquals(JobState.SUCCEEDED, end.state(), end.status().error());
        JobEvent firstStep = events.stream().filter(e -> e.kind() == JobEvent.Kind.PROGRESS).findFirst().orElseThrow();
        assertEquals(List.of("loss", "lr", "frames_per_second"), firstStep.metrics().stream().map(MetricPoint::key).toList());
        JobEvent epoch = events.stream().filter(e -> e.kind() == JobEvent.Kind.EPOCH).findFirst().orElseThrow();
        assertEquals(List.of("f1_expr", "accuracy_expr", "train_loss"), epoch.metrics().stream().map(MetricPoint::key).toList());

        Path tuned = Path.of(end.status().headCheckpoint());
        assertEquals("backbone.safetensors", tuned.getFileName().toString());
        StateDict before = CheckpointFiles.read(data.resolve(SyntheticJobData.BACKBONE));
        StateDict after = CheckpointFiles.read(tuned);
        assertEquals(before.names(), after.names(), "a whole DDAMFN checkpoint, every key kept");
        for (String key : List.of("features.0.conv.weight", "fc.weight", "features.0.bn.running_mean")) {
            assertFalse(java.util.Arrays.equals(before.get(key).toFloatArray(), after.get(key).toFloatArray()),
                    key + " was trained");
        }
        try (Backend b = Backends.open("reference"); Ddamfn served = Ddamfn.load(tuned, b)) {
            assertEquals(8, served.config().numClass());
        }
    }

    @Test
    void aRunningJobIsCancelledAtItsNextStep() throws Exception {
        JobRecord job = manager.submit(SyntheticJobData.spec(data, Task.AU, HeadKind.FC, 50, 1));
        JobManagerTest.awaitStep(manager, job.id(), 2);
        manager.cancel(job.id());
        JobManagerTest.awaitState(manager, job.id(), JobState.CANCELLED);
        assertTrue(manager.get(job.id()).status().epoch() < 50);
    }

    @Test
    void specsTheTrainerCannotRunAreRefusedBeforeTheyAreQueued() {
        JobSpec ok = SyntheticJobData.spec(data, Task.VA, HeadKind.FC, 1, 0);
        assertField("spec.task", with(ok, HeadKind.FULL_FINE_TUNE, ok.hyper(), 0)); // the backbone learns EXPR only
        assertField("spec.validation_split", with(ok, HeadKind.FC, ok.hyper(), 1.0));
        assertField("spec.hyper.learning_rate", with(ok, HeadKind.FC, new Hyper(20, 1, 4, 10, 0, 0), 0));
        assertField("spec.hyper.weight_decay", with(ok, HeadKind.FC, new Hyper(0.5, 1, 4, 10, 4, 0), 0));
        assertField("spec.hyper.window", with(ok, HeadKind.FC, new Hyper(0.01, 1, 4, 5000, 0, 0), 0));
        assertEquals(0, manager.list(JobState.PENDING).stream().filter(j -> j.spec().hyper().epochs() == 1).count(),
                "nothing was queued");
    }

    private void assertField(String field, JobSpec spec) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> manager.submit(spec));
        assertEquals(field, e.field(), e.getMessage());
    }

    private static JobSpec with(JobSpec s, HeadKind head, Hyper hyper, double validationSplit) {
        return new JobSpec(s.task(), head, s.backbone(), s.dataRoot(), hyper, validationSplit, s.keepBest(), s.bestMetric(),
                s.displayName());
    }

    /** Heads whose {@code n}-th step (counted over the run) has a NaN loss. */
    private static TrainableHead.Factory nanAtStep(TrainableHead.Factory real, int n) {
        return (config, width, rate) -> {
            TrainableHead head = real.create(config, width, rate);
            AtomicInteger steps = new AtomicInteger();
            return new TrainableHead() {
                @Override
                public double step(WindowBatch batch) {
                    double loss = head.step(batch);
                    return steps.incrementAndGet() == n ? Double.NaN : loss;
                }

                @Override
                public float[] predict(WindowBatch batch) {
                    return head.predict(batch);
                }

                @Override
                public StateDict weights() {
                    return head.weights();
                }

                @Override
                public StateDict optimizerState() {
                    return head.optimizerState();
                }

                @Override
                public void restore(StateDict weights, StateDict optimizerState) {
                    head.restore(weights, optimizerState);
                }

                @Override
                public void close() {
                    head.close();
                }
            };
        };
    }
}
