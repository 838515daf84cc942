package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.face.FaceService;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.repository.DemoPipeline;
import dev.affect.server.repository.PipelineLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real server on a real port, driven by a client we did not write: Debian's python3-grpcio with
 * stubs that protoc generates from our .proto files ({@code scripts/e2e/python_client.py}). It
 * covers the Open Inference Protocol (as tritonclient would call it) and the Stream RPC, and checks
 * that both paths give the same values. Runs on the demo pipeline, so it needs no fixtures.
 */
class PythonClientEndToEndTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path GRPC_PLUGIN = Path.of("/usr/bin/grpc_python_plugin");

    @Test
    void pythonGrpcioDrivesTheOpenInferenceProtocolAndStreams() throws Exception {
        requirePythonGrpc();
        Result result = runClient(null);
        assertTrue(result.output.contains("Stream VA equals the OIP backbone + LSTM head sequence"), result.output);
    }

    /** Whole camera frames with every_face, from python3-grpcio, on a server with the released detector. */
    @Test
    void pythonGrpcioFollowsEveryFaceOfCameraFrames() throws Exception {
        requirePythonGrpc();
        Path weights = DetectFixtures.releasedWeights();
        Path group = DetectFixtures.photo("group.jpeg");
        Path empty = DetectFixtures.photo("non_face.jpg");
        Result result = runClient(weights, "--camera-frame", group.toString(), "--no-face-frame", empty.toString());
        // real-photos/README.md: 5 people, one cut off at the top right; the released detector finds the 4 others
        assertTrue(result.output.contains("\"faces_per_frame\": 4"), result.output);
    }

    private static void requirePythonGrpc() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + " (Debian's python3)");
        assumeTrue(Files.isExecutable(GRPC_PLUGIN), "no " + GRPC_PLUGIN + " (Debian's protobuf-compiler-grpc)");
        assumeTrue(run(List.of("protoc", "--version")).exitCode == 0, "no protoc (Debian's protobuf-compiler)");
        assumeTrue(run(List.of(PYTHON.toString(), "-c", "import grpc, google.protobuf")).exitCode == 0,
                "python3 cannot import grpc (Debian's python3-grpcio and python3-protobuf)");
    }

    /** The demo pipeline served on a real port (with a face detector when {@code detector} is set) and the client run against it. */
    private static Result runClient(Path detector, String... extra) throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Backend backend = Backends.open("auto");
        PipelineRegistry registry = new PipelineRegistry();
        DemoPipeline.registerIfEmpty(registry, new PipelineLoader(backend, Ddamfn.Options.serving()));
        FaceService faces = detector == null ? null : FaceService.load(detector, backend, DetectionConfig.defaults(), 1);
        ServerMain server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1)
                .withBindAddress("127.0.0.1"), registry, null, TrainingSetup.none(), faces);
        try {
            int port = server.start();
            List<String> command = new ArrayList<>(List.of(PYTHON.toString(),
                    root.resolve("scripts/e2e/python_client.py").toString(), "--target", "127.0.0.1:" + port,
                    "--proto-dir", root.resolve("proto/src/main/proto").toString(), "--pipeline", DemoPipeline.NAME));
            command.addAll(List.of(extra));
            Result result = run(command);
            assertEquals(0, result.exitCode, result.output);
            assertTrue(result.output.contains("\"passed\""), result.output);
            return result;
        } finally {
            server.close();
            backend.close();
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(124, "timed out: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
