package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Task;
import dev.affect.server.app.ServerMain;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** ../shared/fixtures/reference, read in place; tests skip with the reason where it is absent. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path reference(String file) {
        String property = System.getProperty("affect.shared");
        Path shared = property != null ? Path.of(property) : Path.of("../../shared");
        Path dir = shared.resolve("fixtures/reference");
        assumeTrue(Files.isDirectory(dir), "shared fixtures not found at " + dir.toAbsolutePath().normalize()
                + " (set -Daffect.shared=<dir holding fixtures/>)");
        return dir.resolve(file);
    }

    public static byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(reference(file));
    }

    public static Path training(String file) {
        Path dir = reference("").getParent().resolve("training");
        assumeTrue(Files.isDirectory(dir), "training fixtures not found at " + dir);
        return dir.resolve(file);
    }

    /** The fixture backbone with the three fixture LSTM heads, as "ddamfn", on the given backend. */
    public static ServedPipeline pipeline(String name, Backend backend) throws IOException {
        Ddamfn ddamfn = Ddamfn.load(reference("ddamfn_8_class.pth"), backend);
        Head va = Head.load(training("lstm_va_adam/init.safetensors"), backend);
        Head expr = Head.load(training("lstm_expr_adam/init.safetensors"), backend);
        Head au = Head.load(training("lstm_au_adamw/init.safetensors"), backend);
        return new ServedPipeline(name, ddamfn, Map.of(Task.VA, va, Task.EXPR, expr, Task.AU, au), "fixture", false);
    }

    public static Backend backend() {
        return Backends.open("auto", new BackendOptions(0));
    }

    /** A registry holding the fixture pipeline as "ddamfn" (the default), on the best backend. */
    public static PipelineRegistry registry() throws IOException {
        Backend backend = backend();
        PipelineRegistry registry = new PipelineRegistry();
        try {
            registry.register(pipeline("ddamfn", backend));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        return registry;
    }

    /** Shuts {@code channel} down now, waiting up to 5 s, then closes {@code server}; either may be null. */
    public static void shutdown(ManagedChannel channel, ServerMain server) throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    /** Shuts {@code channel}, then {@code server}, down now, waiting up to {@code seconds} for each; either may be null. */
    public static void shutdown(ManagedChannel channel, Server server, long seconds) throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(seconds, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(seconds, TimeUnit.SECONDS);
        }
    }

    /** max |actual - expected| / max |expected| below 1e-4. */
    public static void assertClose(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, "length");
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        double rel = maxDiff / maxRef;
        assertTrue(rel < 1e-4, "relative error " + rel);
    }
}
