package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.client.AffectClient;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.io.SafetensorsWriter;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.proto.v1.HeadKind;
import dev.affect.proto.v1.HyperParameters;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.Task;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect jobs} against a real server on a real port training a real head, and serve's training flags. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsCommandTest {
    TrainingServer server;
    String target;
    String jobId;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticAbaw.write(data.resolve("abaw"), 5, 40, 7);
        SafetensorsWriter.write(data.resolve("ddamfn.safetensors"), DemoWeights.ddamfn());
        server = TrainingServer.start(data, tmp.resolve("jobs"));
        target = server.target;
        try (AffectClient client = AffectClient.forTarget(target)) {
            jobId = client.startJob(JobSpec.newBuilder().setTask(Task.TASK_VA).setHead(HeadKind.HEAD_FC)
                    .setBackbone("ddamfn.safetensors").setDataRoot("abaw").setDisplayName("cli test")
                    .setHyper(HyperParameters.newBuilder().setEpochs(2).setBatchSize(4).setSeed(3)).build()).id();
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    CliRun jobs(String... args) {
        return server.jobs(args);
    }

    @Test
    void watchDrawsProgressAndEndsWithTheMetricsTableThenListGetCancelAndPromoteSeeTheJob() {
        CliRun watch = jobs("watch", jobId, "--progress");
        assertEquals(0, watch.exitCode(), watch.err());
        assertTrue(watch.err().contains("[####################] step"), "a full progress bar: " + watch.err());
        List<String> table = watch.out().lines().toList();
        assertTrue(table.getFirst().matches("epoch\\s+p_va\\s+ccc_v\\s+ccc_a\\s+train_loss"), table.getFirst());
        assertTrue(table.get(1).startsWith("1 ") && table.get(2).startsWith("2 "), watch.out());
        assertTrue(table.get(3).startsWith("job " + jobId + " SUCCEEDED; head "), watch.out());

        CliRun list = jobs("list");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(jobId) && l.contains("SUCCEEDED") && l.contains("2/2")
                && l.contains("p_va ") && l.contains("\"cli test\"")), list.out());
        assertEquals("no jobs FAILED", jobs("list", "--state", "failed").out().strip());

        CliRun get = jobs("get", jobId);
        assertEquals(0, get.exitCode(), get.err());
        assertTrue(get.out().contains("state:      SUCCEEDED") && get.out().contains("best by:    p_va (keep 3)")
                && get.out().contains("head:       /"), get.out());

        assertEquals("job " + jobId + " had already ended: SUCCEEDED", jobs("cancel", jobId).out().strip());
        CliRun promote = jobs("promote", jobId, "--pipeline", "demo");
        assertEquals(0, promote.exitCode(), promote.err());
        assertTrue(promote.out().startsWith("pipeline demo now serves job " + jobId + "'s head"), promote.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertOneLine(jobs("get", "job-nonesuch"), "affect jobs get: ");
        assertOneLine(jobs("list", "--state", "bogus"), "affect list: --state: must be one of");
        assertOneLine(CliRun.of("jobs", "get", "x", "--target", "nohost"), "affect get: --target: 'nohost' is not host:port");
        assertOneLine(CliRun.of("jobs", "list", "--target", "localhost:1"), "affect jobs list: cannot reach localhost:1");
        assertOneLine(jobs("promote", "job-nonesuch"), "affect jobs promote: ");
        assertEquals(2, CliRun.of("jobs").exitCode(), "a subcommand is required");
    }

    @Test
    void serveRefusesABadDataRootOrTrainingBackendBeforeListening(@TempDir Path tmp) {
        assertOneLine(CliRun.of("serve", "--data-root", tmp.resolve("missing").toString(), "--port", "0",
                "--metrics-port", "-1"), "affect serve: --data-root: not a folder: ");
        assertOneLine(CliRun.of("serve", "--train-backend", "nonesuch", "--port", "0", "--metrics-port", "-1"),
                "affect serve: --train-backend: unknown backend 'nonesuch'");
    }

    private static void assertOneLine(CliRun r, String prefix) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith(prefix), r.err());
    }
}
