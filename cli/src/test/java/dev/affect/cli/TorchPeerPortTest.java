package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.cli.benchtrain.TrainBench;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real PyTorch peer (Debian's python3-torch at /usr/bin/python3; skipped with the reason where
 * it is absent): its DDAMNet port and heads reproduce ../shared/fixtures/training (train_bench.py
 * --verify), and its rows pair with affect's workloads in a real --train run.
 */
class TorchPeerPortTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    static void assumeTorch() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " not found");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, PYTHON + " has no torch (Debian's python3-torch)");
    }

    @Test
    void portReproducesTheTrainingFixtures() throws Exception {
        assumeTorch();
        Path fixtures = Fixtures.training("ddamfn_step", "").getParent();
        Path script = TrainBench.peerScript();
        assertNotNull(script, "scripts/peer/train_bench.py not found");
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), "--verify", "--fixtures", fixtures.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        List<String> checks = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            JsonNode r = new ObjectMapper().readTree(line);
            System.out.println("peer --verify: " + line);
            assertTrue(r.get("ok").asBoolean(), line);
            checks.add(r.get("check").asText());
        }
        assertEquals(List.of("fc_va_adam", "fc_expr_adam", "fc_au_adam", "lstm_va_adam", "lstm_expr_adam", "lstm_au_adamw",
                "ddamfn_step"), checks);
        assertEquals(0, code);
    }

    @Test
    void realPeerRowsPairWithAffectsWorkloads() throws Exception {
        assumeTorch();
        CliRun r = CliRun.of("bench", "--train", "--backend", "cpu", "--threads", "1", "--workloads", "heads",
                "--head-kinds", "lstm", "--tasks", "va", "--windows", "2", "--window", "3", "--steps", "1", "--warmup", "0",
                "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = new ObjectMapper().readTree(r.out().strip());
        JsonNode row = s.get("results").get(0);
        JsonNode peer = row.get("pytorch");
        assertEquals(6, peer.get("frames_per_step").asInt(), row.toString());
        assertEquals(1, peer.get("threads").asInt(), row.toString());
        assertTrue(peer.get("frames_per_second").asDouble() > 0, row.toString());
        assertTrue(row.get("throughput_ratio_affect_over_pytorch").asDouble() > 0, row.toString());
    }
}
