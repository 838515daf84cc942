package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code affect bench --train}: the option contract, and one tiny real training step through the
 * engine next to a stand-in peer (the figures themselves are for scripts/bench-train, not assertions).
 */
class BenchTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void badTrainOptionsAreOneLineAndExit2() {
        String ckpt = Fixtures.reference("ddamfn_8_class.pth").toString();
        String[][] cases = {
            {"bench", "--train", "--workloads", "ddamfn"},
            {"bench", "--train", "--checkpoint", ckpt, "--ddamfn-batch", "1"},
            {"bench", "--train", "--tasks", "va,happiness"},
            {"bench", "--train", "--head-kinds", "gru"},
            {"bench", "--train", "--windows", "0"},
            {"bench", "--train", "--checkpoint", dir.resolve("missing.pth").toString()},
            {"bench"},
        };
        String[] expected = {"--checkpoint", "--ddamfn-batch", "--tasks", "--head-kinds", "--windows", "--checkpoint", "--checkpoint"};
        for (int i = 0; i < cases.length; i++) {
            CliRun r = CliRun.of(cases[i]);
            assertEquals(2, r.exitCode(), String.join(" ", cases[i]) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(expected[i]), expected[i] + " not named in: " + r.err());
        }
    }

    @Test
    void aHeadStepRunsThroughTheEngineBesideThePeersRow() throws IOException {
        // stands in for /usr/bin/python3: one row for the same workload, at 100 frames/s
        Path python = dir.resolve("python");
        Files.writeString(python, "#!/bin/sh\necho '{\"workload\":\"head\",\"head\":\"fc\",\"task\":\"expr\","
                + "\"frames_per_step\":6,\"frames_per_second\":100.0,\"torch\":\"stand-in\"}'\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        CliRun r = CliRun.of("bench", "--train", "--backend", "cpu", "--threads", "1", "--workloads", "heads",
                "--head-kinds", "fc", "--tasks", "expr", "--windows", "2", "--window", "3", "--steps", "2", "--warmup", "1",
                "--python", python.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = new ObjectMapper().readTree(r.out().strip());
        assertEquals(1, s.get("threads").asInt());
        assertTrue(s.get("affect_backend").asText().contains("1 threads"), s.toString());
        assertEquals(1, s.get("results").size());
        JsonNode row = s.get("results").get(0);
        assertEquals("fc", row.get("head").asText());
        assertEquals(6, row.get("affect").get("frames_per_step").asInt(), "2 windows of 3 frames: " + row);
        double fps = row.get("affect").get("frames_per_second").asDouble();
        assertTrue(fps > 0, row.toString());
        assertEquals(fps / 100.0, row.get("throughput_ratio_affect_over_pytorch").asDouble(), 1e-9);
        assertEquals("stand-in", s.get("pytorch").get("torch").asText());
    }
}
