package dev.affect.engine.io;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads NumPy .npy files (format versions 1-3), C order, little-endian.
 *
 * <p>dtypes: {@code <f4} F32, {@code <f8} F64, {@code <f2} F16, {@code <i8} I64 are mapped (zero
 * copy). DType has no 8-bit or 32-bit integer, so {@code |u1} (uint8, e.g. decoded image pixels)
 * is returned as F32 holding the exact values 0..255, and {@code <i4} as I64; both are copies.
 */
public final class NpyReader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpyReader() {
    }

    /** The mapping is owned by a GC-managed arena. */
    public static Tensor read(Path file) throws IOException {
        return read(file, Arena.ofAuto());
    }

    /** The tensor stays valid while {@code arena} is open. */
    public static Tensor read(Path file, Arena arena) throws IOException {
        MemorySegment mapped = MappedFiles.map(file, arena);
        if (mapped.byteSize() < 10 || mapped.asSlice(0, 6).mismatch(MemorySegment.ofArray(MAGIC)) != -1) {
            throw new CheckpointFormatException(file, "not a .npy file (no \\x93NUMPY magic)");
        }
        int major = mapped.get(ValueLayout.JAVA_BYTE, 6);
        long headerLen;
        long headerStart;
        switch (major) {
            case 1 -> {
                headerLen = MappedFiles.u16(mapped, 8);
                headerStart = 10;
            }
            case 2, 3 -> {
                if (mapped.byteSize() < 12) {
                    throw new CheckpointFormatException(file, "npy file truncated inside its preamble");
                }
                headerLen = MappedFiles.u32(mapped, 8);
                headerStart = 12;
            }
            default -> throw new CheckpointFormatException(file, "unsupported .npy format version " + major);
        }
        if (headerStart + headerLen > mapped.byteSize()) {
            throw new CheckpointFormatException(file, "npy header length " + headerLen + " exceeds the file (truncated?)");
        }
        byte[] raw = mapped.asSlice(headerStart, headerLen).toArray(ValueLayout.JAVA_BYTE);
        // v1/v2 headers are latin-1, v3 is UTF-8; the fields we read are ASCII either way.
        NpyHeader header = NpyHeader.parse(file, new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        if (header.fortranOrder()) {
            throw new CheckpointFormatException(file, "fortran_order=True arrays are not supported; save a C-order "
                    + "array (np.ascontiguousarray)");
        }
        return tensor(file, header, mapped.asSlice(headerStart + headerLen), arena);
    }

    private static Tensor tensor(Path file, NpyHeader header, MemorySegment data, Arena arena)
            throws CheckpointFormatException {
        Shape shape = Shape.of(header.shape());
        String d = header.descr();
        int itemSize = switch (d) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "<f2" -> 2;
            case "|u1", "<u1" -> 1;
            default -> throw new CheckpointFormatException(file, "unsupported npy dtype '" + d + "' (supported: <f4, <f8, "
                    + "<f2, <i8, <i4, |u1; little-endian only)");
        };
        long bytes = shape.numel() * itemSize;
        if (data.byteSize() < bytes) {
            throw new CheckpointFormatException(file, "npy data is " + data.byteSize() + " bytes, " + d + shape
                    + " needs " + bytes + " (truncated?)");
        }
        MemorySegment values = data.asSlice(0, bytes);
        return switch (d) {
            case "<f4" -> Tensor.wrap(values, DType.F32, shape);
            case "<f8" -> Tensor.wrap(values, DType.F64, shape);
            case "<f2" -> Tensor.wrap(values, DType.F16, shape);
            case "<i8" -> Tensor.wrap(values, DType.I64, shape);
            case "<i4" -> widen(values, shape, arena, DType.I64);
            default -> widen(values, shape, arena, DType.F32);
        };
    }

    /** Copies int32 into I64 or uint8 into F32 (exact in both cases). */
    private static Tensor widen(MemorySegment in, Shape shape, Arena arena, DType to) {
        MemorySegment out = arena.allocate(Math.max(1, shape.numel() * to.byteSize()), 64);
        for (long i = 0; i < shape.numel(); i++) {
            if (to == DType.I64) {
                out.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, in.getAtIndex(MappedFiles.U32_LE, i));
            } else {
                out.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, Byte.toUnsignedInt(in.get(ValueLayout.JAVA_BYTE, i)));
            }
        }
        return Tensor.wrap(out, to, shape);
    }
}
