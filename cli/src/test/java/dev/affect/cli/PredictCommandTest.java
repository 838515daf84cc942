package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** affect predict against a real server on a real port; affect serve's argument errors. */
class PredictCommandTest {
    static ServerMain server;
    static int port;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws IOException {
        Path checkpoint = Fixtures.reference("ddamfn_8_class.pth");
        Backend backend = Backends.open("auto");
        PipelineRegistry models = new PipelineRegistry();
        models.register(new ServedPipeline("ddamfn", Ddamfn.load(checkpoint, backend), java.util.Map.of(), "fixture", false));
        server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1), models);
        port = server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void printsOneLinePerImageWithTheTopExpressionAndProbabilities() {
        String a = Fixtures.reference("face_a.png").toString();
        String b = Fixtures.reference("face_b.jpg").toString();
        CliRun r = CliRun.of("predict", "--target", "localhost:" + port, a, b);
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith(a + "  "), lines.get(0));
        assertTrue(lines.get(1).startsWith(b + "  "), lines.get(1));
        for (String line : lines) {
            assertTrue(line.contains("Neutral=") && line.contains("Contempt="), line);
            String expression = line.split("  ")[1];
            assertTrue(List.of("Neutral", "Happy", "Sad", "Surprise", "Fear", "Disgust", "Angry", "Contempt").contains(expression), line);
        }
    }

    @Test
    void unreachableServerExitsTwoWithOneLine() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        CliRun r = CliRun.of("predict", "--target", "127.0.0.1:" + free, "--timeout", "10",
                Fixtures.reference("face_a.png").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("affect predict: cannot reach 127.0.0.1:" + free), r.err());
    }

    @Test
    void badInputsExitTwoWithOneLine() throws IOException {
        Path corrupt = Files.write(tmp.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        String target = "localhost:" + port;
        String[][] cases = {
            {"predict", "--target", target, tmp.resolve("missing.png").toString()},
            {"predict", "--target", target, corrupt.toString()},
            {"predict", "--target", target, "--model", "nope", Fixtures.reference("face_a.png").toString()},
            {"serve", "--checkpoint", tmp.resolve("missing.pth").toString(), "--port", "0"},
            {"serve", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(), "--model-name", "bad name!"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of(c);
            assertEquals(2, r.exitCode(), () -> String.join(" ", c) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), () -> "one line expected, got: " + r.err());
            assertTrue(r.err().startsWith("affect " + c[0] + ": "), r.err());
        }
    }
}
