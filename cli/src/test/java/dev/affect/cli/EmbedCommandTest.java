package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.data.synth.SyntheticAbaw;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {

    @Test
    void embedsASplitPrintsItsSummaryAndReusesTheCacheOnASecondRun(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticAbaw.write(data, 2, 10, 5);
        Path cache = tmp.resolve("cache");

        CliRun first = CliRun.of("embed", "--demo", "--data", data.toString(), "--split", "validation",
                "--cache", cache.toString(), "--progress", "--backend", "reference");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().matches("(?s)validation: videos 1, frames embedded [1-9]\\d*, frames reused 0, [0-9.]+ s\n.*"),
                first.out());
        assertTrue(first.err().contains("frames") && first.err().contains("fps"), first.err());
        List<Path> files;
        try (Stream<Path> s = Files.walk(cache)) {
            files = s.filter(p -> p.toString().endsWith(".emb")).toList();
        }
        assertEquals(1, files.size());
        assertTrue(files.getFirst().getParent().getFileName().toString().matches("[0-9a-f]{64}"));

        CliRun second = CliRun.of("embed", "--demo", "--data", data.toString(), "--split", "validation",
                "--cache", cache.toString(), "--backend", "reference");
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().matches("(?s)validation: videos 1, frames embedded 0, frames reused [1-9]\\d*, .*"),
                second.out());
    }

    @Test
    void checkpointAndDemoTogetherAreRefused(@TempDir Path tmp) {
        CliRun run = CliRun.of("embed", "--demo", "--checkpoint", "x.pth", "--data", tmp.toString(),
                "--cache", tmp.toString());
        assertTrue(run.exitCode() != 0);
        assertTrue(run.err().contains("--checkpoint"), run.err());
    }

    @Test
    void progressLineShowsCountsRateAndEta() {
        assertEquals("[###############...............] 5/10 frames  2.5 fps  ETA 0:02",
                EmbedCommand.progressLine(5, 10, 2.5, 2));
    }
}
