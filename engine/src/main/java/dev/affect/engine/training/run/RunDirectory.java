package dev.affect.engine.training.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.AtomicFiles;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.SafetensorsWriter;
import dev.affect.engine.io.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The folder of one run:
 * <pre>
 * run.json                          the config and the backbone the embeddings came from (a resume must match)
 * checkpoints/epoch-NNNN/head.safetensors       head weights, keys as FcHead/LstmHead.load expect
 * checkpoints/epoch-NNNN/optimizer.safetensors  optimiser moments and step count
 * state.json                        {@link RunState}: written last, it is the commit point of an epoch
 * head.safetensors                  the best epoch's weights, for serving (updated every epoch);
 *                                   backbone.safetensors for a fine-tuned DDAMFN
 * </pre>
 * Every file is written atomically (temporary file, then rename), and state.json only after the
 * epoch's checkpoint is complete, so a crash at any moment leaves the previous epoch resumable.
 * Checkpoints neither the last nor among the best are deleted after the commit.
 */
final class RunDirectory {
    static final String MANIFEST = "run.json";
    static final String STATE = "state.json";
    static final String CHECKPOINTS = "checkpoints";
    static final String HEAD = "head.safetensors";
    static final String BACKBONE = "backbone.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What run.json holds. */
    record Manifest(RunConfig config, String backboneHash) {
    }

    private final Path root;
    private final String weightsFile;

    /** @param weightsFile {@link #HEAD} or {@link #BACKBONE}: the name of the best weights, in the root and in each checkpoint */
    RunDirectory(Path root, String weightsFile) {
        this.root = root;
        this.weightsFile = weightsFile;
    }

    String weightsFile() {
        return weightsFile;
    }

    Path root() {
        return root;
    }

    Path checkpoint(int epoch) {
        return root.resolve(CHECKPOINTS).resolve(String.format("epoch-%04d", epoch));
    }

    /** Whether a run has been started here (run.json exists). */
    boolean started() {
        return Files.isRegularFile(root.resolve(MANIFEST));
    }

    /** Starts a fresh run: the folder must be absent or empty. */
    void create(Manifest manifest) throws IOException {
        if (Files.exists(root)) {
            if (!Files.isDirectory(root)) {
                throw new InvalidInputException("out", root + " exists and is not a folder");
            }
            try (Stream<Path> entries = Files.list(root)) {
                if (entries.findAny().isPresent()) {
                    throw new InvalidInputException("out", root + " is not empty"
                            + (started() ? " (it holds a run: resume it, or choose another folder)" : ""));
                }
            }
        }
        Files.createDirectories(root.resolve(CHECKPOINTS));
        AtomicFiles.write(root.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
    }

    Manifest manifest() throws IOException {
        if (!started()) {
            throw new InvalidInputException("out", root + " holds no run to resume (no " + MANIFEST + ")");
        }
        return JSON.readValue(root.resolve(MANIFEST).toFile(), Manifest.class);
    }

    /** The state of the last committed epoch, or empty before the first. */
    Optional<RunState> state() throws IOException {
        Path file = root.resolve(STATE);
        return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), RunState.class)) : Optional.empty();
    }

    /** Writes epoch {@code state.completedEpochs()}'s checkpoint, commits the state, then drops stale checkpoints. */
    void commit(RunState state, StateDict weights, StateDict optimizer) throws IOException {
        int epoch = state.completedEpochs();
        Path dir = Files.createDirectories(checkpoint(epoch));
        Map<String, String> meta = Map.of("epoch", Integer.toString(epoch));
        SafetensorsWriter.write(dir.resolve(weightsFile), weights, meta);
        SafetensorsWriter.write(dir.resolve(OPTIMIZER), optimizer, meta);
        AtomicFiles.write(root.resolve(STATE), JSON.writeValueAsBytes(state));
        int best = state.best().getFirst();
        AtomicFiles.write(root.resolve(weightsFile), Files.readAllBytes(checkpoint(best).resolve(weightsFile)));
        prune(state);
    }

    /** The weights and optimiser state of a committed epoch. */
    StateDict[] load(int epoch) throws IOException {
        Path dir = checkpoint(epoch);
        return new StateDict[] {CheckpointFiles.read(dir.resolve(weightsFile)), CheckpointFiles.read(dir.resolve(OPTIMIZER))};
    }

    /** Deletes checkpoint folders that are neither the state's last epoch nor among its best (or left by a crash). */
    void prune(RunState state) throws IOException {
        Set<String> keep = new HashSet<>();
        keep.add(checkpoint(state.completedEpochs()).getFileName().toString());
        for (int e : state.best()) {
            keep.add(checkpoint(e).getFileName().toString());
        }
        Path dir = root.resolve(CHECKPOINTS);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> stale;
        try (Stream<Path> entries = Files.list(dir)) {
            stale = entries.filter(p -> !keep.contains(p.getFileName().toString())).toList();
        }
        for (Path p : stale) {
            deleteTree(p);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
