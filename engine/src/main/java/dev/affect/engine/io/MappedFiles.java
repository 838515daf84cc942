package dev.affect.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Read-only memory mapping of whole files, plus the little-endian accessors the formats need. */
final class MappedFiles {
    static final ValueLayout.OfShort U16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MappedFiles() {
    }

    /**
     * Maps the file into {@code arena}; the channel can be closed right away because the mapping
     * lives until the arena closes. Tensors sliced from it are therefore zero-copy.
     */
    static MemorySegment map(Path file, Arena arena) throws IOException {
        requireLittleEndianHost(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return MemorySegment.ofArray(new byte[0]); // map() rejects nothing, but a 0-byte mapping is pointless
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        }
    }

    /**
     * Every format here stores little-endian data and Tensor reads native order, so raw slices are
     * only correct on little-endian hosts (x86-64, aarch64); refuse rather than return garbage.
     */
    static void requireLittleEndianHost(Path file) throws CheckpointFormatException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new CheckpointFormatException(file, "tensor files are little-endian; this host is big-endian");
        }
    }

    static int u16(MemorySegment s, long offset) {
        return Short.toUnsignedInt(s.get(U16_LE, offset));
    }

    static long u32(MemorySegment s, long offset) {
        return Integer.toUnsignedLong(s.get(U32_LE, offset));
    }

    static long u64(MemorySegment s, long offset) {
        return s.get(U64_LE, offset);
    }
}
