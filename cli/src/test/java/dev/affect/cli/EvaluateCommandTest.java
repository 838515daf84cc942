package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.synth.SyntheticAbaw;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.affect.engine.io.SafetensorsWriter;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void demoEvaluationWritesPredictionsAndScoresThemAsScoreDoes(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticAbaw.write(data, 3, 20, 7);
        Path out = tmp.resolve("out");

        CliRun run = CliRun.of("evaluate", "--demo", "--data", data.toString(), "--split", "validation",
                "--out", out.toString(), "--json", "--backend", "reference");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode result = JSON.readTree(run.out());
        assertEquals(JSON.readTree(Files.readString(out.resolve("metrics.json"))), result);
        assertEquals("validation", result.get("split").asText());

        Map<AbawTask, List<String>> keys = Map.of(
                AbawTask.VA, List.of("ccc_valence", "ccc_arousal", "p_va"),
                AbawTask.EXPR, List.of("f1_macro", "accuracy", "per_class_f1"),
                AbawTask.AU, List.of("f1_mean", "f1_mean_optimized", "thresholds", "f1_per_au", "f1_per_au_optimized"));
        for (AbawTask task : AbawTask.values()) {
            Path annotations = data.resolve(task.folder()).resolve("Validation_Set");
            Path predictions = out.resolve(task.folder());
            List<Path> files;
            try (Stream<Path> s = Files.list(annotations)) {
                files = s.sorted().toList();
            }
            assertTrue(!files.isEmpty());
            for (Path a : files) {
                Path p = predictions.resolve(a.getFileName().toString());
                assertTrue(Files.isRegularFile(p), p.toString());
                List<String> pl = Files.readAllLines(p);
                assertEquals(task.header(), pl.getFirst());
                assertEquals(Files.readAllLines(a).size(), pl.size(), p.toString());
            }
            JsonNode scores = result.get("tasks").get(task.name());
            for (String key : keys.get(task)) {
                JsonNode v = scores.get(key);
                assertTrue(v != null, task + " " + key);
                if (v.isObject()) {
                    for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
                        inRange(task, key, it.next().asDouble());
                    }
                } else {
                    inRange(task, key, v.asDouble());
                }
            }

            CliRun score = CliRun.of("score", "--task", task.name(), "--predictions", predictions.toString(),
                    "--annotations", annotations.toString(), "--json");
            assertEquals(0, score.exitCode(), score.err());
            assertEquals(JSON.readTree(score.out()), scores);
        }
    }

    private static void inRange(AbawTask task, String key, double v) {
        assertTrue(Double.isFinite(v), task + " " + key + " = " + v);
        double low = key.startsWith("ccc") || key.equals("p_va") ? -1 : 0;
        assertTrue(v >= low && v <= 1, task + " " + key + " = " + v);
    }

    @Test
    void errorsAreOneLineAndExitTwo(@TempDir Path tmp) throws Exception {
        CliRun missing = CliRun.of("evaluate", "--demo", "--data", tmp.resolve("nope").toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(2, missing.exitCode());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        Path data = tmp.resolve("data");
        SyntheticAbaw.write(data, 1, 5, 1);
        CliRun empty = CliRun.of("evaluate", "--demo", "--data", data.toString(), "--split", "validation", "--out",
                tmp.resolve("o2").toString(), "--backend", "reference");
        assertEquals(2, empty.exitCode(), empty.out() + empty.err());
        assertTrue(empty.err().contains("no VA videos"), empty.err());
        assertEquals(1, empty.err().strip().lines().count(), empty.err());
    }

    @Test
    void checkpointsGiveATableForTheirTasksOnlyAndAHeadMustNameATask(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticAbaw.write(data, 3, 12, 3);
        Path ddamfn = tmp.resolve("ddamfn.safetensors");
        SafetensorsWriter.write(ddamfn, DemoWeights.ddamfn(1));
        Path va = tmp.resolve("va.safetensors");
        StateDict vaHead = DemoWeights.lstmHead(Task.VA, 2);
        SafetensorsWriter.write(va, vaHead);
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        vaHead.asMap().forEach((k, v) -> renamed.put(k.startsWith("va.") ? "mood." + k.substring(3) : k, v));
        Path raw = tmp.resolve("raw.safetensors");
        SafetensorsWriter.write(raw, new StateDict(renamed));

        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("evaluate", "--data", data.toString(), "--split", "train", "--checkpoint", ddamfn.toString(),
                "--head", va.toString(), "--out", out.toString(), "--backend", "reference");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("ccc_valence") && run.out().contains("p_va"), run.out());
        assertTrue(Files.isDirectory(out.resolve(AbawTask.VA.folder())));
        assertTrue(!Files.exists(out.resolve(AbawTask.EXPR.folder())));
        assertTrue(JSON.readTree(Files.readString(out.resolve("metrics.json"))).get("tasks").has("VA"));

        CliRun wrong = CliRun.of("evaluate", "--data", data.toString(), "--checkpoint", ddamfn.toString(),
                "--head", raw.toString(), "--out", tmp.resolve("o2").toString(), "--backend", "reference");
        assertEquals(2, wrong.exitCode(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("not a VA, EXPR or AU head"), wrong.err());
        assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
    }
}
