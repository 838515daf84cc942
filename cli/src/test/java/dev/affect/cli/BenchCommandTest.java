package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The bench command's contract (its numbers are for scripts/bench, not for assertions). */
class BenchCommandTest {
    @Test
    void jsonHasTheDocumentedKeys() throws IOException {
        CliRun r = CliRun.of("bench", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(), "--batch", "2",
                "--iterations", "2", "--warmup", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out().strip());
        for (String key : new String[] {"backend", "batch", "ms_per_batch_median", "frames_per_second", "peak_rss_mb"}) {
            assertTrue(j.has(key), "missing " + key + " in " + r.out());
        }
        assertEquals(2, j.get("batch").asInt());
        assertTrue(j.get("ms_per_batch_median").asDouble() > 0);
    }

    @Test
    void aListOfBatchesGivesOneObjectEachWithHeadsCostAndPeakRss() throws IOException {
        CliRun r = CliRun.of("bench", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(), "--batch", "1,2",
                "--buckets", "1,2", "--iterations", "2", "--warmup", "1", "--json",
                "--head", Fixtures.training("lstm_va_adam", "init.safetensors").toString());
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        for (int i = 0; i < 2; i++) {
            var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[i]);
            assertEquals(i + 1, j.get("batch").asInt());
            assertEquals(2, j.get("buckets_compiled").size());
            for (String key : new String[] {"pipeline_ms_per_frame", "heads_ms_per_frame", "heads_share_of_pipeline", "peak_rss_mb"}) {
                assertTrue(j.has(key), "missing " + key + " in " + lines[i]);
            }
        }
    }

    @Test
    void rejectsNonsenseCounts() {
        CliRun r = CliRun.of("bench", "--checkpoint", "x.pth", "--batch", "0");
        assertEquals(2, r.exitCode());
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"infer", "bench", "backends"}) {
            CliRun r = CliRun.of(c, "--help");
            assertEquals(0, r.exitCode(), c);
            assertTrue(r.out().contains("Usage: affect " + c), r.out());
        }
    }
}
