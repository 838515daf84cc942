package dev.affect.server.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.model.heads.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job manager with the deterministic runner, driven step by step through its gate. */
class JobManagerTest {
    static final int STEPS = 5;

    @TempDir
    Path jobsDir;
    final List<JobManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(JobManager::close);
    }

    JobManager manager(Semaphore gate, JobManager.Settings settings) throws Exception {
        JobManager m = new JobManager(new JobStore(jobsDir), new DeterministicRunner(STEPS, 0, gate), settings);
        managers.add(m);
        m.start();
        return m;
    }

    static JobManager.Settings settings() {
        return new JobManager.Settings(1, 4, 1024, 10_000);
    }

    static JobSpec spec(int epochs, double lr, long seed) {
        return new JobSpec(Task.VA, HeadKind.FC, "/b", "/d", new Hyper(lr, epochs, 4, 8, 0, seed), 0, 2, "", "")
                .normalized();
    }

    /** Every event of a watch until the job ends (each wait bounded, so a hang fails instead of blocking). */
    static List<JobEvent> events(JobManager m, String id) throws InterruptedException {
        LinkedBlockingQueue<Boolean> signal = new LinkedBlockingQueue<>();
        JobWatch w = m.watch(id, () -> signal.add(true));
        List<JobEvent> out = new ArrayList<>();
        while (true) {
            JobEvent e = w.poll();
            if (e == null) {
                assertNotNull(signal.poll(60, TimeUnit.SECONDS), "no event in 60 s after " + out.size());
                continue;
            }
            out.add(e);
            if (e.last()) {
                return out;
            }
        }
    }

    @Test
    void aJobRunsToSuccessWithEveryEventInOrder() throws Exception {
        JobManager m = manager(null, settings());
        JobRecord job = m.submit(spec(2, 0.1, 7));
        assertEquals(JobState.PENDING, job.state());
        List<JobEvent> events = events(m, job.id());
        assertEquals(JobEvent.Kind.SNAPSHOT, events.getFirst().kind());
        JobRecord end = events.getLast().job();
        assertEquals(JobState.SUCCEEDED, end.state());
        assertEquals(2, end.status().epoch());
        assertEquals(2L * STEPS, end.status().step());
        assertTrue(Files.isRegularFile(Path.of(end.status().headCheckpoint())));
        long steps = -1;
        for (JobEvent e : events) {
            assertTrue(e.job().status().step() >= steps, "steps never go back");
            steps = e.job().status().step();
        }
        assertEquals(2, events.stream().filter(e -> e.kind() == JobEvent.Kind.EPOCH).count());
        JobRecord onDisk = new JobStore(jobsDir).loadAll().getFirst();
        assertEquals(end, onDisk, "job.json holds the final record");
        assertEquals(List.of(end), m.list(JobState.SUCCEEDED));
        assertEquals(List.of(), m.list(JobState.RUNNING));
    }

    @Test
    void aDivergingJobFailsWithItsStep() throws Exception {
        JobManager m = manager(null, settings());
        JobRecord job = m.submit(spec(3, DeterministicRunner.DIVERGING_LR, 1));
        JobRecord end = events(m, job.id()).getLast().job();
        assertEquals(JobState.FAILED, end.state());
        assertEquals(DeterministicRunner.NAN_STEP, end.status().failedStep());
        assertTrue(end.status().error().contains("step " + DeterministicRunner.NAN_STEP), end.status().error());
    }

    @Test
    void cancelStopsARunningJobAtItsNextStepAndAPendingOneAtOnce() throws Exception {
        Semaphore gate = new Semaphore(0);
        JobManager m = manager(gate, settings());
        JobRecord running = m.submit(spec(3, 0.1, 1));
        JobRecord queued = m.submit(spec(3, 0.1, 2));
        gate.release(2);
        awaitStep(m, running.id(), 2);
        assertEquals(JobState.CANCELLED, m.cancel(queued.id()).state(), "a queued job is cancelled at once");
        m.cancel(running.id());
        gate.release(100);
        JobRecord end = events(m, running.id()).getLast().job();
        assertEquals(JobState.CANCELLED, end.state());
        assertTrue(end.status().step() <= 3, "stopped at its next step, not at " + end.status().step());
        assertEquals(JobState.CANCELLED, m.get(queued.id()).state());
        assertEquals(0, m.get(queued.id()).status().startedMs(), "the cancelled queued job never ran");
        assertEquals(end, m.cancel(running.id()), "cancelling an ended job changes nothing");
    }

    @Test
    void aSlowWatcherMissesProgressButNeverBlocksTheJob() throws Exception {
        JobManager m = manager(null, new JobManager.Settings(1, 4, 4, 10_000));
        JobRecord job = m.submit(spec(4, 0.1, 3));
        JobWatch slow = m.watch(job.id(), () -> { });
        awaitState(m, job.id(), JobState.SUCCEEDED); // the job ended while nobody read the watch
        List<JobEvent> got = new ArrayList<>();
        for (JobEvent e = slow.poll(); e != null; e = slow.poll()) {
            got.add(e);
        }
        assertEquals(4, got.size(), "the buffer holds 4");
        assertEquals(JobEvent.Kind.SNAPSHOT, got.getFirst().kind());
        assertEquals(JobState.SUCCEEDED, got.getLast().job().state());
        assertTrue(got.get(1).dropped() > 0, "the event after the gap says how many were missed");
    }

    @Test
    void queueIsBounded() throws Exception {
        Semaphore gate = new Semaphore(0);
        JobManager m = manager(gate, new JobManager.Settings(1, 2, 16, 10_000));
        JobRecord first = m.submit(spec(1, 0.1, 1));
        awaitState(m, first.id(), JobState.RUNNING);
        m.submit(spec(1, 0.1, 2));
        m.submit(spec(1, 0.1, 3));
        assertThrows(JobQueueFullException.class, () -> m.submit(spec(1, 0.1, 4)));
        gate.release(1000);
    }

    @Test
    void aJobStoppedByShutdownResumesFromItsCheckpointWithTheSameWeights() throws Exception {
        JobManager reference = new JobManager(new JobStore(jobsDir.resolve("reference")),
                new DeterministicRunner(STEPS, 0, null), settings());
        managers.add(reference);
        reference.start();
        JobRecord uninterrupted = events(reference, reference.submit(spec(3, 0.1, 42)).id()).getLast().job();

        Semaphore gate = new Semaphore(0);
        JobManager first = manager(gate, settings());
        JobRecord job = first.submit(spec(3, 0.1, 42));
        gate.release(STEPS + 2); // one epoch and two steps of the next
        awaitStep(first, job.id(), STEPS + 2);
        Thread closer = Thread.ofPlatform().start(first::close);
        gate.release(1); // lets the runner reach its stop check
        closer.join();
        JobRecord stopped = new JobStore(jobsDir).loadAll().getFirst();
        assertEquals(JobState.RUNNING, stopped.state(), "left running on disk, to resume");
        assertEquals(1, stopped.status().epoch());

        JobManager second = manager(null, settings());
        assertEquals(1, second.get(job.id()).status().resumedFromEpoch());
        JobRecord end = events(second, job.id()).getLast().job();
        assertEquals(JobState.SUCCEEDED, end.state());
        assertEquals(1, end.status().resumedFromEpoch());
        assertArrayEquals(Files.readAllBytes(Path.of(uninterrupted.status().headCheckpoint())),
                Files.readAllBytes(Path.of(end.status().headCheckpoint())), "same weights as the uninterrupted run");
        assertFalse(Files.readAllBytes(Path.of(end.status().headCheckpoint())).length == 0);
    }

    static void awaitStep(JobManager m, String id, long step) throws InterruptedException {
        LinkedBlockingQueue<Boolean> signal = new LinkedBlockingQueue<>();
        JobWatch w = m.watch(id, () -> signal.add(true));
        while (m.get(id).status().step() < step) {
            assertNotNull(signal.poll(60, TimeUnit.SECONDS), "job " + id + " did not reach step " + step);
            while (w.poll() != null) {
                // drained
            }
        }
        w.close();
    }

    static void awaitState(JobManager m, String id, JobState state) throws InterruptedException {
        LinkedBlockingQueue<Boolean> signal = new LinkedBlockingQueue<>();
        JobWatch w = m.watch(id, () -> signal.add(true));
        while (m.get(id).state() != state) {
            assertNotNull(signal.poll(60, TimeUnit.SECONDS), "job " + id + " did not reach " + state);
            while (w.poll() != null) {
                // drained
            }
        }
        w.close();
    }
}
