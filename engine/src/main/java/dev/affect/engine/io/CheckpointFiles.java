package dev.affect.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/** Opens a weights file with the right reader, chosen by extension, else by magic bytes. */
public final class CheckpointFiles {
    /** The formats we can read weights from. */
    public enum Format { TORCH_ZIP, SAFETENSORS }

    private CheckpointFiles() {
    }

    public static StateDict read(Path file) throws IOException {
        return read(file, Arena.ofAuto());
    }

    /**
     * Reads a checkpoint, hands its state_dict to {@code use} and frees its tensors as soon as
     * {@code use} returns or throws, rather than at some later GC: for loaders that copy what they
     * keep (into a ParameterStore). The tensors must not escape the call.
     */
    public static <T> T readAndRelease(Path file, Function<StateDict, T> use) throws IOException {
        try (Arena arena = Arena.ofShared()) {
            return use.apply(read(file, arena));
        }
    }

    /** Tensors stay valid while {@code arena} is open. */
    public static StateDict read(Path file, Arena arena) throws IOException {
        return switch (detect(file)) {
            case TORCH_ZIP -> TorchCheckpointReader.readStateDict(file, arena);
            case SAFETENSORS -> SafetensorsReader.read(file, arena).tensors();
        };
    }

    /**
     * The extension decides when it is a known one, so a broken .pth gets the torch reader's
     * precise error rather than "unknown format"; otherwise the first bytes do.
     */
    public static Format detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".zip") || name.endsWith(".pth.tar")) {
            return Format.TORCH_ZIP;
        }
        if (name.endsWith(".safetensors")) {
            return Format.SAFETENSORS;
        }
        if (name.endsWith(".npy")) {
            throw new CheckpointFormatException(file, "a .npy file holds one array, not a checkpoint; use NpyReader");
        }
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return Format.TORCH_ZIP;
        }
        if (n >= 6 && Arrays.equals(Arrays.copyOf(head, 6), NpyReader.MAGIC)) {
            throw new CheckpointFormatException(file, "a .npy file holds one array, not a checkpoint; use NpyReader");
        }
        if (n == 9 && head[8] == '{') { // u64 header length, then the JSON header
            return Format.SAFETENSORS;
        }
        throw new CheckpointFormatException(file, "unknown weights format (expected a torch zip .pth/.pt or .safetensors)");
    }
}
