package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.client.AffectClient;
import dev.affect.client.FaceMode;
import dev.affect.client.FrameStream;
import dev.affect.client.StreamOptions;
import dev.affect.client.StreamResult;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.face.FaceService;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every-face streams through the SDK and {@code affect stream --every-face}, against a real server on a real port. */
class StreamEveryFaceCommandTest {
    static ServerMain server;
    static int port;
    static Path group;

    @BeforeAll
    static void startServer() throws Exception {
        group = DetectFixtures.photo("group.jpeg");
        Path weights = DetectFixtures.releasedWeights();
        Backend backend = Backends.open("auto");
        PipelineRegistry models = new PipelineRegistry();
        models.register(new ServedPipeline("ddamfn", Ddamfn.load(Fixtures.reference("ddamfn_8_class.pth"), backend),
                Map.of(Task.VA, Head.load(Fixtures.training("lstm_va_adam", "init.safetensors"), backend),
                        Task.EXPR, Head.load(Fixtures.training("lstm_expr_adam", "init.safetensors"), backend)),
                "fixture", false));
        FaceService faces = FaceService.load(weights, backend, DetectionConfig.defaults(), 1);
        server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1).withMaxFaces(3), models, null,
                TrainingSetup.none(), faces);
        port = server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSdkGetsEveryFaceWithItsOwnTrackAndValues() throws Exception {
        byte[] image = Files.readAllBytes(group);
        try (AffectClient client = AffectClient.builder().target("localhost", port).build();
                FrameStream stream = client.openStream(StreamOptions.defaults().withFace(FaceMode.DETECT).withEveryFace(true)
                        .withMaxFaces(2))) {
            stream.send(image, 1, 10);
            stream.send(image, 2, 20);
            List<Long> first = null;
            for (int i = 0; i < 2; i++) {
                StreamResult r = stream.take(Duration.ofSeconds(60));
                assertNotNull(r, "a result in 60 s");
                assertTrue(!r.isError() && !r.noFace(), r.toString());
                assertNull(r.affect(), "every-face values are per face");
                assertNull(r.face());
                assertEquals(2, r.faces().size(), "max_faces 2: " + r.faces());
                assertTrue(r.faces().get(0).face().score() >= r.faces().get(1).face().score(), "descending score");
                List<Long> ids = r.faces().stream().map(f -> f.face().trackId()).toList();
                assertEquals(2, Set.copyOf(ids).size(), ids.toString());
                r.faces().forEach(f -> assertNotNull(f.affect().va(), f.toString()));
                first = first == null ? ids : first;
                assertEquals(first, ids, "stable tracks");
            }
            stream.end();
        }
    }

    @Test
    void theCliPrintsOneLinePerFace(@TempDir Path dir) throws Exception {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        Files.copy(group, frames.resolve("a.jpeg"));
        Files.copy(group, frames.resolve("b.jpeg"));
        CliRun run = CliRun.of("stream", "--target", "localhost:" + port, "--frames", frames.toString(), "--fps", "0",
                "--face", "detect", "--every-face");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().strip().lines().toList();
        assertEquals(2 * 3 + 1, lines.size(), "3 faces a frame (serve --max-faces 3), then the summary: " + run.out());
        Pattern face = Pattern.compile("^(\\d) (a|b)\\.jpeg  face=[\\d.,-]+ \\(([\\d.]+), track (\\d+)\\)  va=.*expr=\\w+.*");
        Set<String> tracks = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Matcher m = face.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(String.valueOf(i / 3), m.group(1));
            tracks.add(m.group(4));
        }
        assertEquals(3, tracks.size(), "the same 3 tracks in both frames: " + run.out());
        assertTrue(lines.get(6).startsWith("summary: frames=2 errors=0"), lines.get(6));
    }

    @Test
    void serveRefusesMaxFacesBelowOne() {
        CliRun r = CliRun.of("serve", "--max-faces", "0", "--port", "0", "--metrics-port", "-1");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("affect serve: --max-faces: maxFaces must be at least 1"), r.err());
    }
}
