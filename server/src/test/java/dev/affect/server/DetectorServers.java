package dev.affect.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.face.FaceService;
import dev.affect.server.pipeline.PipelineRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two in-process servers the face-detection stream tests talk to, both serving the fixture
 * DDAMFN pipeline: {@link #served} with the released RetinaFace (two detector threads) and
 * {@link #withoutDetector}. Skips, saying why, where the released weights are absent.
 */
final class DetectorServers implements AutoCloseable {
    final Path real;
    final Backend backend;
    final FaceService faces;
    final InProcessServer served;
    final InProcessServer withoutDetector;

    private DetectorServers(Path real, Backend backend, FaceService faces, InProcessServer served,
                            InProcessServer withoutDetector) {
        this.real = real;
        this.backend = backend;
        this.faces = faces;
        this.served = served;
        this.withoutDetector = withoutDetector;
    }

    static DetectorServers start() throws Exception {
        Path real = Fixtures.reference("").getParent().resolve("retinaface/real");
        assumeTrue(Files.isDirectory(real), "released RetinaFace weights not found at " + real);
        Backend backend = Fixtures.backend();
        FaceService faces = FaceService.load(real.resolve("mobilenet0.25_Final.pth"), backend, DetectionConfig.defaults(), 2);
        InProcessServer served = InProcessServer.start(ServerConfig.defaults().withMetricsPort(-1), pipelines(backend), faces);
        InProcessServer without = InProcessServer.start(ServerConfig.defaults().withMetricsPort(-1), pipelines(backend));
        return new DetectorServers(real, backend, faces, served, without);
    }

    private static PipelineRegistry pipelines(Backend backend) throws Exception {
        PipelineRegistry registry = new PipelineRegistry();
        registry.register(Fixtures.pipeline("ddamfn", backend));
        return registry;
    }

    @Override
    public void close() throws Exception {
        try (InProcessServer a = served; InProcessServer b = withoutDetector) {
            // both closed, the detector with its server
        }
    }
}
