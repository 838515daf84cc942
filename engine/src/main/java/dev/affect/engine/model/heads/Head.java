package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A temporal head over per-frame embeddings: {@link FcHead} (per frame) or {@link LstmHead}
 * (carries a {@link HeadState} per sequence). Each head holds its own parameters, prepared once on
 * a backend, with executables compiled ahead of time; heads are thread-safe and must be closed
 * after their last call.
 */
public sealed interface Head extends AutoCloseable permits FcHead, LstmHead {

    /** The task layer's state_dict prefix, the name of this head's output. */
    String key();

    /** The task the key names; empty for a raw head, whose values are the task layer's output. */
    Optional<Task> task();

    /** The embedding width it takes (D). */
    int inputSize();

    /** The number of values per frame (n). */
    int outputSize();

    /** One name per output column: the task's labels, or {@code key[i]} for a raw head. */
    default List<String> labels() {
        return task().map(Task::labels)
                .orElseGet(() -> IntStream.range(0, outputSize()).mapToObj(i -> key() + "[" + i + "]").toList());
    }

    /** Architecture and sizes, one line. */
    String describe();

    /** Idempotent. */
    @Override
    void close();

    /** Loads an FC or LSTM head, whichever the state_dict holds, with the default buckets. */
    static Head load(StateDict checkpoint, Backend backend) {
        return load(checkpoint, backend, HeadOptions.defaults());
    }

    /**
     * Loads an FC or LSTM head, whichever the state_dict holds (an LSTM head has {@code lstm.*}
     * keys). A checkpoint that is neither is an {@link InvalidInputException} naming the key.
     */
    static Head load(StateDict checkpoint, Backend backend, HeadOptions options) {
        StateDict sd = HeadSpec.normalize(checkpoint);
        HeadSpec spec = HeadSpec.read(sd);
        return spec.lstm() ? new LstmHead(spec, sd, backend, options) : new FcHead(spec, sd, backend, options);
    }

    /** Reads a .pth (torch zip) or .safetensors head checkpoint and loads it with the default buckets. */
    static Head load(Path file, Backend backend) throws IOException {
        return load(file, backend, HeadOptions.defaults());
    }

    /**
     * Reads a .pth (torch zip) or .safetensors head checkpoint and loads it. The file's tensors are
     * freed as soon as the head has copied its parameters.
     */
    static Head load(Path file, Backend backend, HeadOptions options) throws IOException {
        return CheckpointFiles.readAndRelease(file, sd -> load(sd, backend, options));
    }
}
