package dev.affect.engine.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torch.save's legacy (pre-1.6, non-zip) format: five pickles back to back (magic number, protocol
 * version 1001, sys_info, the object, the list of storage keys), then each storage in that list's
 * order as an int64 element count and its raw little-endian bytes. Storages are zero-copy slices of
 * the mapped file. The object pickle is run twice with the same restricted hooks as the zip reader:
 * first to learn each storage's type and size (the data follows the pickles), then to bind them.
 */
final class TorchLegacyReader {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final String WHAT = "legacy (non-zip) torch.save file: ";

    private TorchLegacyReader() {
    }

    private record Declared(TorchGlobal type, long numel) {
    }

    static Object readObject(Path file, MemorySegment mapped) throws CheckpointFormatException {
        if (mapped.byteSize() > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(file, WHAT + "larger than 2 GiB is not supported");
        }
        byte[] data = mapped.toArray(ValueLayout.JAVA_BYTE);
        try {
            Unpickler.Hooks plain = new TorchPickleHooks((key, type, numel) -> {
                throw new PickleException("storage outside the object pickle");
            });
            Unpickler.Loaded magic = Unpickler.loadAt(data, 0, plain);
            if (!MAGIC.equals(asBig(magic.value()))) {
                throw new PickleException("not a torch.save file (magic number " + magic.value() + ")");
            }
            Unpickler.Loaded protocol = Unpickler.loadAt(data, magic.end(), plain);
            if (!(protocol.value() instanceof Long p) || p != PROTOCOL_VERSION) {
                throw new PickleException("unsupported protocol version " + protocol.value());
            }
            Unpickler.Loaded sysInfo = Unpickler.loadAt(data, protocol.end(), plain);
            if (!(sysInfo.value() instanceof Map<?, ?> info) || !Boolean.TRUE.equals(info.get("little_endian"))) {
                throw new PickleException("only little-endian files are supported (sys_info " + sysInfo.value() + ")");
            }
            int objectAt = sysInfo.end();
            Map<String, Declared> declared = new LinkedHashMap<>();
            Unpickler.Loaded first = Unpickler.loadAt(data, objectAt, new TorchPickleHooks((key, type, numel) -> {
                declared.put(key, new Declared(type, numel));
                return new TorchStorage(key, type, numel, MemorySegment.NULL);
            }));
            Unpickler.Loaded keys = Unpickler.loadAt(data, first.end(), plain);
            if (!(keys.value() instanceof List<?> order)) {
                throw new PickleException("storage key list expected after the object, got " + Unpickler.typeName(keys.value()));
            }
            Map<String, MemorySegment> bytes = new HashMap<>();
            long at = keys.end();
            for (Object k : order) {
                Declared d = k instanceof String key ? declared.get(key) : null;
                if (d == null) {
                    throw new PickleException("storage key " + k + " is not used by the object");
                }
                if (at + 8 > mapped.byteSize()) {
                    throw new PickleException("truncated before storage " + k);
                }
                long numel = mapped.get(MappedFiles.U64_LE, at);
                long size = numel * d.type().elementSize;
                if (numel != d.numel() || d.type().elementSize <= 0) {
                    throw new PickleException("storage " + k + " holds " + numel + " elements, the object declares " + d.numel());
                }
                if (at + 8 + size > mapped.byteSize()) {
                    throw new PickleException("truncated inside storage " + k + " (" + size + " bytes from offset " + (at + 8) + ")");
                }
                bytes.put((String) k, mapped.asSlice(at + 8, size));
                at += 8 + size;
            }
            if (bytes.size() != declared.size()) {
                throw new PickleException(declared.size() + " storages used but " + bytes.size() + " stored");
            }
            return Unpickler.loadAt(data, objectAt, new TorchPickleHooks((key, type, numel) ->
                    new TorchStorage(key, type, numel, bytes.get(key)))).value();
        } catch (PickleException ex) {
            throw new CheckpointFormatException(file, WHAT + ex.getMessage(), ex);
        }
    }

    private static BigInteger asBig(Object v) {
        return v instanceof BigInteger b ? b : v instanceof Long l ? BigInteger.valueOf(l) : null;
    }
}
