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
