package dev.affect.cli.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.cli.AffectCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect models pull} against a local HTTP server, with a test catalogue of one fake checkpoint. */
@Timeout(60) // a download that hangs fails the test instead of the build
class ModelsPullCommandTest {
    static final String REPO_PATH = "DDAMFN++/checkpoints_ver2.0/fake_epoch1.pth";
    static final String URL_PATH = "/DDAMFN%2B%2B/checkpoints_ver2.0/fake_epoch1.pth";

    @TempDir
    Path tmp;
    byte[] payload;
    String blob;
    CheckpointServer server;
    Path models;
    Path target;
    Path part;

    record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @BeforeEach
    void serve() throws IOException {
        payload = new byte[200_000];
        new Random(7).nextBytes(payload);
        blob = GitBlobId.of(payload);
        server = new CheckpointServer(payload);
        models = tmp.resolve("models");
        target = models.resolve("fake").resolve("fake_epoch1.pth");
        part = models.resolve("fake").resolve("fake_epoch1.pth.part");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Path catalog(String blobOrNull) throws IOException {
        Path file = tmp.resolve("catalog-" + (blobOrNull == null ? "none" : blobOrNull) + ".json");
        String b = blobOrNull == null ? "" : ", \"blob\": \"" + blobOrNull + "\"";
        Files.writeString(file, "[{\"name\": \"fake\", \"path\": \"" + REPO_PATH + "\", \"classes\": 8" + b + "}]");
        return file;
    }

    Run pull(Path catalog, String... extra) {
        List<String> args = new ArrayList<>(List.of("models", "pull", "fake", "--catalog", catalog.toString(),
                "--models-dir", models.toString(), "--base-url", server.baseUrl()));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AffectCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    JsonNode pipelineJson() throws IOException {
        return new ObjectMapper().readTree(models.resolve("fake").resolve("pipeline.json").toFile());
    }

    /** Nothing but the checkpoint and pipeline.json: no part, no temporary file left behind. */
    void assertOnlyInstalledFiles() throws IOException {
        try (Stream<Path> files = Files.list(models.resolve("fake"))) {
            assertEquals(List.of("fake_epoch1.pth", "pipeline.json"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void fullDownloadIsVerifiedAndLandsWithPipelineJson() throws IOException {
        Run r = pull(catalog(blob));
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(payload, Files.readAllBytes(target));
        assertOnlyInstalledFiles();
        JsonNode p = pipelineJson();
        assertEquals("fake_epoch1.pth", p.get("backbone").asText());
        assertEquals(server.baseUrl() + URL_PATH, p.get("source").asText());
        assertEquals(blob, p.get("blob").asText());
        assertEquals(List.of(new CheckpointServer.Request(URL_PATH, null)), server.requests, "one plain GET of the encoded path");
        assertTrue(r.out().contains("verified"), r.out());
        assertEquals("", r.err(), "no progress bar when stderr is no terminal");
    }

    @Test
    void aVerifiedFileIsNotDownloadedAgain() throws IOException {
        assertEquals(0, pull(catalog(blob)).exitCode());
        Run again = pull(catalog(blob));
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("already there"), again.out());
        assertEquals(1, server.requests.size(), "no second request");
    }

    @Test
    void anInterruptedDownloadResumesWithARangeRequest() throws IOException {
        server.cutNextAfter = payload.length / 2;
        Run cut = pull(catalog(blob));
        assertEquals(2, cut.exitCode(), cut.err());
        assertEquals(1, cut.errLines().size(), cut.err());
        assertTrue(cut.err().contains("run again to resume"), cut.err());
        assertFalse(Files.exists(target), "no final file from a partial download");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < payload.length, "kept " + kept);

        server = new CheckpointServer(payload); // the first one went down with the connection
        Run resumed = pull(catalog(blob));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals("bytes=" + kept + "-", server.requests.getFirst().range());
        assertArrayEquals(payload, Files.readAllBytes(target));
        assertTrue(resumed.out().contains("resumed"), resumed.out());
        assertOnlyInstalledFiles();
    }

    @Test
    void aPartLeftByAnEarlierRunIsContinued() throws IOException {
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(payload, 12_345));
        Run r = pull(catalog(blob));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("bytes=12345-", server.requests.getFirst().range());
        assertArrayEquals(payload, Files.readAllBytes(target));
    }

    @Test
    void aServerIgnoringRangesSendsTheWholeFileWhichReplacesThePart() throws IOException {
        server.ignoreRanges = true;
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(payload, 5_000));
        Run r = pull(catalog(blob));
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(payload, Files.readAllBytes(target), "restarted, not appended");
    }

    @Test
    void aCorruptedPayloadFailsAndLeavesNoFile() throws IOException {
        byte[] other = payload.clone();
        other[1234] ^= 1;
        String expected = GitBlobId.of(other);
        Run r = pull(catalog(expected));
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(expected) && r.err().contains(blob), "names both ids: " + r.err());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(part), "a corrupt part is deleted, not resumed");
        assertFalse(Files.exists(models.resolve("fake").resolve("pipeline.json")));
    }

    @Test
    void anEntryWithoutABlobIdInstallsButSaysItIsUnverified() throws IOException {
        Run r = pull(catalog(null));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("UNVERIFIED") && r.out().contains(blob), r.out());
        assertEquals(blob, pipelineJson().get("blob").asText());
        assertTrue(pull(catalog(null)).out().contains("already there"), "the id recorded at download identifies it later");
        assertEquals(1, server.requests.size());
    }

    @Test
    void progressBarOnRequest() throws IOException {
        Run r = pull(catalog(blob), "--progress");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("100.0%"), r.err());
    }

    @Test
    void anUnknownNameIsOneLineListingTheKnownOnes() {
        Run r = run("models", "pull", "affectnet9", "--models-dir", tmp.resolve("m").toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("affectnet7, affectnet8, rafdb"), r.err());
        assertFalse(Files.exists(tmp.resolve("m")), "nothing created");
    }

    @Test
    void aNetworkFailureIsOneLine() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run r = run("models", "pull", "fake", "--catalog", catalog(blob).toString(), "--models-dir", models.toString(),
                "--base-url", "http://127.0.0.1:" + closedPort);
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("cannot download"), r.err());
        assertFalse(Files.exists(target));
    }
}
