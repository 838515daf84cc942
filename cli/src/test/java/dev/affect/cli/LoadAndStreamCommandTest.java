package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect load} and {@code affect stream} against a loopback stand-in server. */
class LoadAndStreamCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path frames;
    FakeAffectServer fake;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAffectServer();
        frames = Files.createDirectories(dir.resolve("frames"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xFF8040);
            ImageIO.write(img, "png", frames.resolve("f" + i + ".png").toFile());
        }
        Files.writeString(frames.resolve("notes.txt"), "not an image");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void loadCountsCallsAndFramesInGhzJson() throws Exception {
        CliRun run = CliRun.of("load", "--target", fake.target(), "-n", "4", "-c", "2", "--stream-call-count", "5",
                "--fps", "0", "--frames", frames.toString(), "-O", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(4, r.get("count").asInt());
        assertEquals(20, r.get("frames").asInt());
        assertEquals(JSON.readTree("{\"OK\":4}"), r.get("statusCodeDistribution"));
        assertEquals(0, r.get("errorDistribution").size());
        for (String key : List.of("total", "average", "fastest", "slowest")) {
            assertTrue(r.get(key).isIntegralNumber() && r.get(key).asLong() > 1_000, key + " in ns: " + r.get(key));
        }
        assertTrue(r.get("rps").asDouble() > 0);
        assertTrue(r.get("frameRps").asDouble() > 0);
        for (String key : List.of("latencyDistribution", "frameLatencyDistribution")) {
            JsonNode d = r.get(key);
            assertEquals(7, d.size());
            assertEquals(10, d.get(0).get("percentage").asInt());
            assertEquals(99, d.get(6).get("percentage").asInt());
            assertTrue(d.get(2).get("latency").isIntegralNumber() && d.get(2).get("latency").asLong() > 0, key);
        }
        JsonNode h = r.get("histogram");
        assertEquals(11, h.size());
        long inHistogram = 0;
        for (JsonNode b : h) {
            assertTrue(b.get("mark").isFloatingPointNumber() && b.get("mark").asDouble() < 60, "marks are seconds");
            inHistogram += b.get("count").asLong();
        }
        assertEquals(4, inHistogram);
        assertEquals(2, r.get("options").get("concurrency").asInt());
        assertEquals(5, r.get("options").get("stream-call-count").asInt());
        assertEquals(4, fake.streams.get());
    }

    @Test
    void aDurationRunStopsByItself() {
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("load", "--target", fake.target(), "-z", "1s", "-c", "2", "--stream-call-count", "10",
                "--fps", "30", "--frames", frames.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(seconds < 5, "took " + seconds + " s");
        assertTrue(run.out().contains("Summary:") && run.out().contains("Count:"), run.out());
        assertTrue(run.out().contains("[OK]"), run.out());
        assertTrue(run.out().contains("Frame latency distribution"), run.out());
    }

    @Test
    void failedCallsLandInTheErrorDistribution() throws Exception {
        CliRun run = CliRun.of("load", "--target", fake.target(), "-n", "3", "-c", "1", "--pipeline", "missing",
                "--frames", frames.toString(), "-O", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(3, r.get("count").asInt());
        assertEquals(JSON.readTree("{\"NOT_FOUND\":3}"), r.get("statusCodeDistribution"));
        assertEquals(3, r.get("errorDistribution").get("NOT_FOUND: pipeline 'missing' is not loaded").asInt());

        CliRun busy = CliRun.of("load", "--target", fake.target(), "-n", "2", "-c", "2", "--call", "predict",
                "--pipeline", "busy", "--frames", frames.toString(), "-O", "json");
        JsonNode b = JSON.readTree(busy.out());
        assertEquals(2, b.get("statusCodeDistribution").get("RESOURCE_EXHAUSTED").asInt());
    }

    @Test
    void predictCallsCountOneFrameEach() throws Exception {
        CliRun run = CliRun.of("load", "--target", fake.target(), "-n", "6", "-c", "3", "--call", "predict",
                "--rps", "200", "--connections", "2", "--frames", frames.toString(), "-O", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(6, r.get("count").asInt());
        assertEquals(6, r.get("frames").asInt());
        assertEquals(6, r.get("statusCodeDistribution").get("OK").asInt());
    }

    @Test
    void inferStreamsNormalisedTensorsOverModelStreamInfer() throws Exception {
        CliRun run = CliRun.of("load", "--target", fake.target(), "-n", "2", "-c", "1", "--call", "infer", "--model",
                "backbone", "--stream-call-count", "3", "--fps", "0", "--frames", frames.toString(), "-O", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(2, r.get("statusCodeDistribution").get("OK").asInt());
        assertEquals(6, r.get("frames").asInt());
        assertEquals(List.of(150_528, 150_528, 150_528, 150_528, 150_528, 150_528), fake.rawInputSizes);

        CliRun bad = CliRun.of("load", "--target", fake.target(), "-n", "1", "--call", "infer", "--model", "bad",
                "--stream-call-count", "2", "--fps", "0", "--frames", frames.toString(), "-O", "json");
        assertEquals(2, JSON.readTree(bad.out()).get("frameErrorDistribution").get("bad").asInt());
    }

    @Test
    void loadRefusesBadFlagsWithOneLine() {
        CliRun run = CliRun.of("load", "--target", fake.target(), "--call", "nope", "--frames", frames.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--call"), run.err());
        CliRun z = CliRun.of("load", "--target", fake.target(), "-z", "soon", "--frames", frames.toString());
        assertEquals(2, z.exitCode());
    }

    @Test
    void streamRefusesAnUnknownFaceModeWithOneLine() {
        CliRun run = CliRun.of("stream", "--target", fake.target(), "--frames", frames.toString(), "--face", "sideways");
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("affect stream: --face: auto, none or detect, got 'sideways'", run.err().strip());
    }

    @Test
    void streamPrintsOneLinePerFrameAndASummary() throws IOException {
        Files.write(frames.resolve("f3.jpg"), new byte[] {'B', 'A', 'D'});
        CliRun run = CliRun.of("stream", "--target", fake.target(), "--frames", frames.toString(), "--fps", "0",
                "--tasks", "va,expr,au");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(5, lines.size(), run.out());
        assertEquals("0 f0.png  va=+0.250,-0.500  expr=Happiness  aus=AU6,AU12  server=2.5ms", lines.get(0));
        assertEquals("3 f3.jpg  error 3: frame.image: not a JPEG or PNG image", lines.get(3));
        assertTrue(lines.get(4).startsWith("summary: frames=4 errors=1 fps="), lines.get(4));
        assertTrue(lines.get(4).endsWith("session=sess-42"), lines.get(4));
        assertTrue(lines.get(4).contains("p50=") && lines.get(4).contains("p99="), lines.get(4));
    }

    @Test
    void streamJsonAndResume() throws IOException {
        CliRun run = CliRun.of("stream", "--target", fake.target(), "--frames", frames.toString(), "--fps", "100",
                "--resume", "old-7", "--json");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(4, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(0, first.get("sequence").asInt());
        assertEquals(0.25, first.get("valence").asDouble(), 1e-6);
        JsonNode summary = JSON.readTree(lines.get(3));
        assertEquals("old-7", summary.get("session").asText());
        assertEquals(3, summary.get("frames").asInt());
        assertEquals(List.of("old-7"), fake.resumes);
    }

    @Test
    void streamBadFolderOrTargetIsOneLineAndExitTwo() throws IOException {
        CliRun missing = CliRun.of("stream", "--target", fake.target(), "--frames", dir.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertEquals(1, missing.err().lines().count(), missing.err());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun none = CliRun.of("stream", "--target", fake.target(), "--frames", empty.toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("no .jpg"), none.err());
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        CliRun unreachable = CliRun.of("stream", "--target", "127.0.0.1:" + free, "--frames", frames.toString());
        assertEquals(2, unreachable.exitCode());
        assertEquals(1, unreachable.err().lines().count(), unreachable.err());
        assertTrue(unreachable.err().startsWith("affect stream: cannot reach"), unreachable.err());
        CliRun unknown = CliRun.of("stream", "--target", fake.target(), "--pipeline", "missing", "--frames",
                frames.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("NOT_FOUND"), unknown.err());
    }
}
