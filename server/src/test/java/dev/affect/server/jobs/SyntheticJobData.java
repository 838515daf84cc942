package dev.affect.server.jobs;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.io.SafetensorsWriter;
import dev.affect.engine.model.demo.DemoWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A data root for real training jobs: a small synthetic ABAW release ({@value #VIDEOS} videos of
 * {@value #FRAMES} frames, one of them the validation split) in {@code abaw/} and the demo DDAMFN
 * backbone as {@code ddamfn.safetensors}.
 */
public final class SyntheticJobData {
    public static final int VIDEOS = 5;
    public static final int FRAMES = 40;
    public static final String DATA = "abaw";
    public static final String BACKBONE = "ddamfn.safetensors";

    private SyntheticJobData() {
    }

    /** Writes the data root's files into {@code root} (created when absent). */
    public static Path write(Path root) throws IOException {
        Files.createDirectories(root);
        SyntheticAbaw.write(root.resolve(DATA), VIDEOS, FRAMES, 2024);
        SafetensorsWriter.write(root.resolve(BACKBONE), DemoWeights.ddamfn());
        return root;
    }

    /** The backend the backbone embeds on in tests: the best one here. */
    public static Supplier<Backend> backbone() {
        return () -> Backends.open("auto", new BackendOptions(0));
    }

    /** The real trainer with its embedding cache under {@code jobsDir}. */
    public static HeadJobRunner runner(Path jobsDir) {
        return HeadJobRunner.of(jobsDir, backbone(), HeadJobRunner.DEFAULT_TRAINING_BACKEND);
    }

    /** An FC job on the synthetic data: windows of 10 frames, batches of 4 (four steps an epoch for VA). */
    public static JobSpec spec(Path root, dev.affect.engine.model.heads.Task task, HeadKind head, int epochs, long seed) {
        return new JobSpec(task, head, root.resolve(BACKBONE).toString(), root.resolve(DATA).toString(),
                new Hyper(1e-2, epochs, 4, 10, 0, seed), 0, 1, "", "").normalized();
    }
}
