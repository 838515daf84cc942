package dev.affect.server.repository;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.HeadOptions;
import dev.affect.server.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Fixture checkpoints and a loader small enough for tests (one batch bucket, one worker). */
public final class RepositoryFixtures {
    private RepositoryFixtures() {
    }

    /** The 8-class DDAMFN fixture backbone. */
    public static Path backbone() {
        return Fixtures.reference("ddamfn_8_class.pth");
    }

    /** A training fixture's initial LSTM head, e.g. {@code lstm_va_adam}; from the same shared root as {@link Fixtures}. */
    public static Path head(String trainingCase) {
        Path file = Fixtures.reference("").getParent().resolve("training").resolve(trainingCase).resolve("init.safetensors");
        assumeTrue(Files.isRegularFile(file), "training fixture not found at " + file.toAbsolutePath().normalize());
        return file;
    }

    public static Path vaHead() {
        return head("lstm_va_adam");
    }

    public static Path exprHead() {
        return head("lstm_expr_adam");
    }

    public static Path auHead() {
        return head("lstm_au_adamw");
    }

    public static Backend backend() {
        return Backends.open("auto", new BackendOptions(0));
    }

    /** Compiles one batch size only: loads stay quick. */
    public static PipelineLoader loader(Backend backend) {
        return new PipelineLoader(backend, Ddamfn.Options.serving().withBuckets(BatchBuckets.of(1)).withWorkers(1),
                new HeadOptions(List.of(1), List.of(1)));
    }

    /** Writes {@code <root>/<name>/pipeline.json} with {@code json}; returns the file. */
    public static Path writePipeline(Path root, String name, String json) throws IOException {
        Path folder = Files.createDirectories(root.resolve(name));
        return Files.writeString(folder.resolve(PipelineConfig.FILE_NAME), json);
    }

    /** A JSON string literal of a path. */
    public static String quoted(Path path) {
        return "\"" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
