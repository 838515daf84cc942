package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.client.JobInfo;
import dev.affect.proto.v1.HeadKind;
import dev.affect.proto.v1.HyperParameters;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.JobState;
import dev.affect.server.jobs.JobRecord;
import dev.affect.server.jobs.JobStore;
import dev.affect.server.jobs.SyntheticJobData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of issue 10: a server killed (SIGKILL) in the middle of an epoch resumes the
 * job from its last checkpoint when it starts again, and the job ends with exactly the weights of an
 * uninterrupted run with the same seed.
 */
class JobKillResumeTest {
    /** VA windows of 10 frames over the synthetic set's four training videos of 40 frames, in batches of 4. */
    static final long STEPS_PER_EPOCH = 4;
    @TempDir
    Path tmp;
    final List<Process> children = new ArrayList<>();

    @AfterEach
    void reap() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJobKilledMidEpochResumesAndEndsWithTheUninterruptedWeights() throws Exception {
        Path data = SyntheticJobData.write(tmp.resolve("data"));
        Path jobs = tmp.resolve("jobs");
        JobSpec spec = JobSpec.newBuilder().setTask(dev.affect.proto.v1.Task.TASK_VA).setHead(HeadKind.HEAD_FC)
                .setBackbone(SyntheticJobData.BACKBONE).setDataRoot(SyntheticJobData.DATA)
                .setHyper(HyperParameters.newBuilder().setEpochs(4).setLearningRate(0.02).setBatchSize(4).setWindow(10)
                        .setSeed(11)).build();
        long killAt = 2L * STEPS_PER_EPOCH + 2; // two steps into the third epoch

        Process first = start(data, jobs);
        String id;
        try (AffectClient client = AffectClient.connect("localhost", port(first))) {
            id = client.startJob(spec).id();
            try {
                client.watchJob(id, u -> {
                    if (u.job().step() >= killAt) {
                        first.destroyForcibly(); // SIGKILL: no shutdown hook, no last save
                    }
                });
            } catch (AffectClientException e) {
                assertTrue(e.isUnreachable(), "the watch ends because the server died: " + e);
            }
        }
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "killed");
        JobRecord killed = new JobStore(jobs).loadAll().getFirst();
        assertEquals(dev.affect.server.jobs.JobState.RUNNING, killed.state(), "it died running");
        assertEquals(2, killed.status().epoch(), "two epochs were checkpointed before the kill");
        Path checkpoints = jobs.resolve(id).resolve("run").resolve("checkpoints");
        assertTrue(Files.exists(checkpoints.resolve("epoch-0002")));
        assertTrue(Files.notExists(checkpoints.resolve("epoch-0003")), "killed mid-epoch");

        Process second = start(data, jobs);
        try (AffectClient client = AffectClient.connect("localhost", port(second))) {
            JobInfo resumed = client.watchJob(id, u -> { });
            assertEquals(JobState.SUCCEEDED, resumed.state(), resumed.error());
            assertEquals(2, resumed.resumedFromEpoch());
            assertEquals(4 * STEPS_PER_EPOCH, resumed.step(), "16 windows of the synthetic set in batches of 4");
            JobInfo uninterrupted = client.watchJob(client.startJob(spec).id(), u -> { });
            assertEquals(JobState.SUCCEEDED, uninterrupted.state());
            assertEquals(0, uninterrupted.resumedFromEpoch());
            byte[] a = Files.readAllBytes(Path.of(resumed.headCheckpoint()));
            byte[] b = Files.readAllBytes(Path.of(uninterrupted.headCheckpoint()));
            assertTrue(a.length > 1000, "a real head checkpoint");
            assertArrayEquals(b, a, "the resumed job ends with the uninterrupted run's weights");
        }
        second.destroy(); // SIGTERM: a graceful stop
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue());
    }

    private Process start(Path data, Path jobs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                JobServerProcess.class.getName(), data.toString(), jobs.toString());
        pb.redirectError(tmp.resolve("server-" + children.size() + ".log").toFile());
        Process p = pb.start();
        children.add(p);
        return p;
    }

    /** The port the child prints once it listens. */
    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).strip());
            }
        }
        throw new AssertionError("the child server exited with " + p.waitFor() + " before listening");
    }
}
