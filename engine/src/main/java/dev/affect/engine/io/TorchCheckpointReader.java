package dev.affect.engine.io;

import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the weights out of a PyTorch checkpoint written by {@code torch.save} in the zip format
 * (the default since torch 1.6): {@code <archive>/data.pkl} plus one {@code <archive>/data/<key>}
 * entry per storage; or in the legacy stream format before it ({@link TorchLegacyReader}), which
 * released weights such as RetinaFace's mobilenet0.25_Final.pth still use.
 *
 * <p>The pickle is interpreted by a restricted VM that knows only OrderedDict, tensor and
 * parameter rebuilding and the storage types, so a malicious file cannot run code: any other
 * global is refused by name. Tensor data is memory-mapped and sliced (zero copy) when torch stored
 * it uncompressed and densely, which it does for state_dicts.
 */
public final class TorchCheckpointReader {
    private static final String MODULE_PREFIX = "module.";

    private TorchCheckpointReader() {
    }

    /**
     * The model weights, with the mapping owned by a GC-managed arena (unmapped once no tensor of
     * it is reachable). Use {@link #readStateDict(Path, Arena)} to control the lifetime.
     */
    public static StateDict readStateDict(Path file) throws IOException {
        return readStateDict(file, Arena.ofAuto());
    }

    /**
     * The model weights of a bare state_dict, or of the {@code 'model_state_dict'} (authors'
     * training scripts) or {@code 'state_dict'} entry of a checkpoint dict; other entries
     * (optimizer state, epoch) are parsed but skipped, non-tensor values dropped, and a
     * DataParallel {@code module.} prefix removed. Tensors stay valid while {@code arena} is open.
     */
    public static StateDict readStateDict(Path file, Arena arena) throws IOException {
        Map<?, ?> dict = selectStateDict(file, readObject(file, arena));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : dict.entrySet()) {
            if (e.getValue() instanceof TorchTensorRef ref) {
                if (!(e.getKey() instanceof String name)) {
                    throw new CheckpointFormatException(file, "state_dict key " + e.getKey() + " is not a string");
                }
                try {
                    tensors.put(name, ref.materialize(arena));
                } catch (PickleException ex) {
                    throw new CheckpointFormatException(file, "tensor '" + name + "': " + ex.getMessage(), ex);
                }
            }
        }
        StateDict sd = new StateDict(tensors);
        try {
            return sd.stripPrefix(MODULE_PREFIX);
        } catch (IllegalStateException ex) {
            throw new CheckpointFormatException(file, ex.getMessage(), ex);
        }
    }

    /** Unpickles data.pkl: plain containers, with tensors as unresolved {@link TorchTensorRef}s. */
    static Object readObject(Path file, Arena arena) throws IOException {
        MemorySegment mapped = MappedFiles.map(file, arena);
        if (mapped.byteSize() > 0 && (mapped.get(ValueLayout.JAVA_BYTE, 0) & 0xff) == 0x80) {
            return TorchLegacyReader.readObject(file, mapped);
        }
        ZipArchive zip = ZipArchive.open(file, mapped, arena);
        String prefix = archivePrefix(file, zip);
        checkByteOrder(file, zip, prefix);
        byte[] pickle = zip.read(zip.entries().get(prefix + "data.pkl")).toArray(ValueLayout.JAVA_BYTE);
        try {
            return Unpickler.load(pickle, new TorchPickleHooks((key, type, numel) -> storage(zip, prefix, key, type, numel)));
        } catch (PickleException ex) {
            throw new CheckpointFormatException(file, ex.getMessage(), ex);
        }
    }

    private static TorchStorage storage(ZipArchive zip, String prefix, String key, TorchGlobal type, long numel) {
        ZipArchive.Entry entry = zip.entries().get(prefix + "data/" + key);
        if (entry == null) {
            throw new PickleException("missing storage " + prefix + "data/" + key);
        }
        long need = numel * type.elementSize;
        if (entry.size() < need) {
            throw new PickleException("storage " + prefix + "data/" + key + " has " + entry.size()
                    + " bytes, but " + numel + " x " + type.name + " need " + need);
        }
        try {
            return new TorchStorage(key, type, numel, zip.read(entry).asSlice(0, need));
        } catch (CheckpointFormatException ex) {
            throw new PickleException(ex.detail());
        }
    }

    /** torch names the top folder after the file it first saved to, so find data.pkl generically. */
    private static String archivePrefix(Path file, ZipArchive zip) throws CheckpointFormatException {
        List<String> found = new ArrayList<>();
        for (String name : zip.entries().keySet()) {
            int slash = name.indexOf('/');
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || slash == name.length() - "/data.pkl".length())) {
                found.add(name);
            }
        }
        if (found.size() != 1) {
            throw new CheckpointFormatException(file, found.isEmpty()
                    ? "no <archive>/data.pkl in the zip: not a torch.save checkpoint"
                    : "several data.pkl entries in the zip: " + found);
        }
        String prefix = found.getFirst().substring(0, found.getFirst().length() - "data.pkl".length());
        if (zip.entries().containsKey(prefix + "constants.pkl")) {
            throw new CheckpointFormatException(file, "a TorchScript archive (torch.jit.save) is not supported; "
                    + "save model.state_dict() with torch.save instead");
        }
        return prefix;
    }

    /** Newer torch records the writer's byte order; older files are always little-endian. */
    private static void checkByteOrder(Path file, ZipArchive zip, String prefix) throws CheckpointFormatException {
        ZipArchive.Entry e = zip.entries().get(prefix + "byteorder");
        if (e != null) {
            String order = new String(zip.read(e).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new CheckpointFormatException(file, "byte order '" + order + "' is not supported (only little-endian)");
            }
        }
    }

    private static Map<?, ?> selectStateDict(Path file, Object root) throws CheckpointFormatException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new CheckpointFormatException(file, "top-level object is " + Unpickler.typeName(root)
                    + ", expected a state_dict or a dict holding 'model_state_dict'");
        }
        Map<?, ?> chosen = top;
        for (String key : List.of("model_state_dict", "state_dict")) {
            if (top.get(key) instanceof Map<?, ?> inner) {
                chosen = inner;
                break;
            }
        }
        if (chosen.values().stream().noneMatch(v -> v instanceof TorchTensorRef)) {
            throw new CheckpointFormatException(file, "no tensors found; top-level keys are " + top.keySet()
                    + " (expected a state_dict, or a dict with 'model_state_dict' or 'state_dict')");
        }
        return chosen;
    }
}
