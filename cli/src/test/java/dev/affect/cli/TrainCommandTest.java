package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.backend.BackendProvider;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    private static void refusedNaming(String option, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("affect train: " + option + ":"), run.err());
    }

    @Test
    void badHyperParametersAreOneLineNamingTheOption(@TempDir Path tmp) {
        String[] base = {"train", "--demo", "--data", tmp.toString(), "--cache", tmp.resolve("c").toString(),
                "--out", tmp.resolve("o").toString()};
        refusedNaming("--lr", concat(base, "--task", "VA", "--lr", "-0.001"));
        refusedNaming("--window", concat(base, "--task", "VA", "--window", "0"));
        refusedNaming("--task", concat(base, "--task", "valence"));
        refusedNaming("--weight-decay", concat(base, "--task", "AU", "--optimizer", "adamw", "--weight-decay", "-1"));
        refusedNaming("--metric", concat(base, "--task", "AU", "--metric", "p_va"));
        refusedNaming("--head", concat(base, "--task", "AU", "--head", "gru"));
        refusedNaming("--checkpoint", "train", "--data", tmp.toString(), "--cache", tmp.toString(), "--out",
                tmp.resolve("o").toString(), "--task", "VA");
        refusedNaming("--out", concat(base, "--task", "VA", "--resume"));
        refusedNaming("--task", concat(base, "--task", "VA", "--head", "backbone"));
        refusedNaming("--cache", "train", "--demo", "--data", tmp.toString(), "--out", tmp.resolve("o").toString(),
                "--task", "VA", "--head", "lstm");
    }

    @Test
    void fineTunesTheBackboneIntoACheckpointThatLoadsAsDdamfn(@TempDir Path tmp) throws Exception {
        BackendProvider cpu = Backends.provider("cpu");
        Assumptions.assumeTrue(cpu.unavailableReason().isEmpty(), () -> "cpu backend: " + cpu.unavailableReason().orElse(""));
        Path data = tmp.resolve("data");
        SyntheticAbaw.write(data, 3, 12, 5);
        CliRun run = CliRun.of("train", "--demo", "--data", data.toString(), "--task", "EXPR", "--head", "backbone",
                "--out", tmp.resolve("run").toString(), "--epochs", "1", "--batch", "8", "--train-backend", "cpu",
                "--progress", "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("frames/s"), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("backbone", json.get("head").asText());
        assertTrue(json.get("epochs").get(0).has("f1_expr"), run.out());
        Path tuned = Path.of(json.get("backbone_file").asText());
        try (var backend = Backends.open("cpu"); Ddamfn d = Ddamfn.load(tuned, backend)) {
            assertEquals(8, d.config().numClass());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void trainsAHeadPrintsTheTableAndJsonAndTheHeadLoads(@TempDir Path tmp) throws Exception {
        BackendProvider cpu = Backends.provider("cpu");
        Assumptions.assumeTrue(cpu.unavailableReason().isEmpty(), () -> "cpu backend: " + cpu.unavailableReason().orElse(""));
        Path data = tmp.resolve("data");
        SyntheticAbaw.write(data, 3, 40, 5);
        String[] args = {"train", "--demo", "--backend", "cpu", "--data", data.toString(), "--task", "AU", "--head", "fc",
                "--cache", tmp.resolve("cache").toString(), "--out", tmp.resolve("run").toString(), "--epochs", "2",
                "--batch", "4", "--progress"};
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("epoch  "), run.out());
        assertTrue(run.out().contains("f1_au") && run.out().contains("train_loss"), run.out());
        assertEquals(2 + 2, run.out().lines().count(), run.out()); // header, 2 epochs, best line
        assertTrue(run.err().contains("epoch 2/2 [") && run.err().contains("win/s") && run.err().contains("ETA"), run.err());
        Path head = tmp.resolve("run").resolve("head.safetensors");
        try (var backend = Backends.open("reference"); Head h = Head.load(head, backend)) {
            assertEquals("au", h.key());
        }

        CliRun again = CliRun.of(concat(args, "--json"));
        assertEquals(2, again.exitCode(), "a folder holding a run is refused without --resume: " + again.err());
        assertTrue(again.err().contains("--out"), again.err());

        CliRun resumed = CliRun.of(concat(args, "--resume", "--json"));
        assertEquals(0, resumed.exitCode(), resumed.err());
        JsonNode json = new ObjectMapper().readTree(resumed.out());
        assertEquals("SUCCEEDED", json.get("status").asText());
        assertEquals(2, json.get("epochs").size());
        assertEquals(12, json.get("epochs").get(1).get("au_thresholds").size());
        assertTrue(Files.isRegularFile(Path.of(json.get("head_file").asText())));
        assertTrue(resumed.err().contains("frames embedded 0"), "the cache is reused: " + resumed.err());
    }
}
