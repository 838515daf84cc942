package dev.affect.engine.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A read-only zip archive over a mapped file. We parse the central directory ourselves because
 * java.util.zip hides where an entry's bytes start, and torch's STORED (uncompressed, 64-byte
 * aligned) entries are meant to be sliced straight out of the mapping.
 */
final class ZipArchive {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    /** Deflate's best case is about 1032:1, plus a little for the smallest streams. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final long DEFLATE_SLACK_BYTES = 1024;
    /**
     * The largest entry inflated: inflating goes through one ByteBuffer, which holds at most 2 GiB - 1.
     * torch.save stores tensors uncompressed, so only small or hand-made entries are deflated.
     */
    static final long DEFAULT_MAX_ENTRY_BYTES = Integer.MAX_VALUE;

    /** One entry as the central directory describes it. */
    record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset) {
    }

    private final Path file;
    private final MemorySegment data;
    private final Arena arena;
    private final SequencedMap<String, Entry> entries;
    private final long maxEntryBytes;

    private ZipArchive(Path file, MemorySegment data, Arena arena, SequencedMap<String, Entry> entries, long maxEntryBytes) {
        this.file = file;
        this.data = data;
        this.arena = arena;
        this.entries = entries;
        this.maxEntryBytes = maxEntryBytes;
    }

    /** Parses the archive's directory; entry bytes are only touched by {@link #read}. */
    static ZipArchive open(Path file, MemorySegment data, Arena arena) throws CheckpointFormatException {
        return open(file, data, arena, DEFAULT_MAX_ENTRY_BYTES);
    }

    /** As {@link #open(Path, MemorySegment, Arena)}, refusing to inflate an entry larger than {@code maxEntryBytes}. */
    static ZipArchive open(Path file, MemorySegment data, Arena arena, long maxEntryBytes) throws CheckpointFormatException {
        if (maxEntryBytes <= 0 || maxEntryBytes > DEFAULT_MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException("maxEntryBytes must be in 1.." + DEFAULT_MAX_ENTRY_BYTES + ", got " + maxEntryBytes);
        }
        long eocd = findEndOfCentralDirectory(file, data);
        long count = MappedFiles.u16(data, eocd + 10);
        long cdSize = MappedFiles.u32(data, eocd + 12);
        long cdOffset = MappedFiles.u32(data, eocd + 16);
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            long locator = eocd - 20;
            if (locator < 0 || data.get(MappedFiles.U32_LE, locator) != ZIP64_LOCATOR_SIG) {
                throw new CheckpointFormatException(file, "zip64 end of central directory locator missing");
            }
            long zip64 = MappedFiles.u64(data, locator + 8);
            if (zip64 < 0 || zip64 + 56 > data.byteSize() || data.get(MappedFiles.U32_LE, zip64) != ZIP64_EOCD_SIG) {
                throw new CheckpointFormatException(file, "zip64 end of central directory record missing or out of range");
            }
            count = MappedFiles.u64(data, zip64 + 32);
            cdSize = MappedFiles.u64(data, zip64 + 40);
            cdOffset = MappedFiles.u64(data, zip64 + 48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > data.byteSize()) {
            throw new CheckpointFormatException(file, "zip central directory lies outside the file (truncated?)");
        }
        SequencedMap<String, Entry> entries = new LinkedHashMap<>();
        long pos = cdOffset;
        for (long i = 0; i < count; i++) {
            Entry e = readCentralEntry(file, data, pos, cdOffset + cdSize);
            entries.put(e.name(), e);
            pos += 46 + MappedFiles.u16(data, pos + 28) + MappedFiles.u16(data, pos + 30) + MappedFiles.u16(data, pos + 32);
        }
        return new ZipArchive(file, data, arena, Collections.unmodifiableSequencedMap(entries), maxEntryBytes);
    }

    SequencedMap<String, Entry> entries() {
        return entries;
    }

    /**
     * The entry's uncompressed bytes: a slice of the mapping for STORED entries (zero copy),
     * otherwise inflated into {@code arena}. The declared size is bounded before anything is
     * allocated, since a hostile directory can declare any size.
     */
    MemorySegment read(Entry e) throws CheckpointFormatException {
        long local = e.localHeaderOffset();
        if (local < 0 || local + 30 > data.byteSize() || data.get(MappedFiles.U32_LE, local) != LOCAL_SIG) {
            throw new CheckpointFormatException(file, "zip entry '" + e.name() + "': bad local header offset " + local);
        }
        // The local extra field may differ from the central one (torch pads it for alignment).
        long start = local + 30 + MappedFiles.u16(data, local + 26) + MappedFiles.u16(data, local + 28);
        if (e.compressedSize() < 0 || start + e.compressedSize() > data.byteSize()) {
            throw new CheckpointFormatException(file, "zip entry '" + e.name() + "' extends past the end of the file (truncated?)");
        }
        MemorySegment raw = data.asSlice(start, e.compressedSize());
        return switch (e.method()) {
            case STORED -> {
                if (e.size() != e.compressedSize()) {
                    throw new CheckpointFormatException(file, "zip entry '" + e.name() + "' is stored but declares "
                            + e.size() + " bytes in " + e.compressedSize() + " stored bytes");
                }
                yield raw;
            }
            case DEFLATED -> {
                checkDeflatedSize(e);
                yield inflate(e, raw);
            }
            default -> throw new CheckpointFormatException(file,
                    "zip entry '" + e.name() + "' uses unsupported compression method " + e.method());
        };
    }

    /** The declared size must be one the compressed bytes can produce, and within the cap. */
    private void checkDeflatedSize(Entry e) throws CheckpointFormatException {
        long possible = e.compressedSize() > (Long.MAX_VALUE - DEFLATE_SLACK_BYTES) / MAX_DEFLATE_RATIO
                ? Long.MAX_VALUE : e.compressedSize() * MAX_DEFLATE_RATIO + DEFLATE_SLACK_BYTES;
        String problem = e.size() < 0 || e.size() > possible ? "more than " + e.compressedSize() + " deflated bytes can hold"
                : e.size() > maxEntryBytes ? "more than the limit of " + maxEntryBytes + " bytes per entry"
                : null;
        if (problem != null) {
            throw new CheckpointFormatException(file, "zip entry '" + e.name() + "' declares "
                    + Long.toUnsignedString(e.size()) + " bytes, " + problem);
        }
    }

    private MemorySegment inflate(Entry e, MemorySegment raw) throws CheckpointFormatException {
        MemorySegment out = arena.allocate(Math.max(1, e.size()), 64).asSlice(0, e.size());
        Inflater inflater = new Inflater(true); // zip entries are raw deflate streams, no zlib header
        try {
            inflater.setInput(raw.asByteBuffer());
            var buffer = out.asByteBuffer();
            while (buffer.hasRemaining() && !inflater.finished()) {
                if (inflater.inflate(buffer) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
            // With the buffer exactly full the end-of-stream marker may still be unread: one probe byte
            // tells a stream that ends here from one that would write past the declared size.
            if (!buffer.hasRemaining() && !inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                throw new CheckpointFormatException(file, "zip entry '" + e.name() + "' inflates to more than its declared "
                        + e.size() + " bytes");
            }
            if (buffer.hasRemaining() || !inflater.finished()) {
                throw new CheckpointFormatException(file, "zip entry '" + e.name() + "' does not inflate to its declared " + e.size() + " bytes");
            }
            return out;
        } catch (DataFormatException ex) {
            throw new CheckpointFormatException(file, "zip entry '" + e.name() + "' is corrupt: " + ex.getMessage(), ex);
        } finally {
            inflater.end();
        }
    }

    private static long findEndOfCentralDirectory(Path file, MemorySegment data) throws CheckpointFormatException {
        long size = data.byteSize();
        long lowest = Math.max(0, size - 22 - 0xffff); // the record is followed by at most a 64 KiB comment
        for (long pos = size - 22; pos >= lowest; pos--) {
            if (data.get(MappedFiles.U32_LE, pos) == EOCD_SIG && pos + 22 + MappedFiles.u16(data, pos + 20) == size) {
                return pos;
            }
        }
        boolean zipStart = size >= 4 && data.get(MappedFiles.U32_LE, 0) == LOCAL_SIG;
        throw new CheckpointFormatException(file, zipStart
                ? "zip end of central directory not found (truncated?)"
                : "not a zip archive");
    }

    private static Entry readCentralEntry(Path file, MemorySegment data, long pos, long end) throws CheckpointFormatException {
        if (pos + 46 > end || data.get(MappedFiles.U32_LE, pos) != CENTRAL_SIG) {
            throw new CheckpointFormatException(file, "corrupt zip central directory at byte " + pos);
        }
        int flags = MappedFiles.u16(data, pos + 8);
        int method = MappedFiles.u16(data, pos + 10);
        long compressed = MappedFiles.u32(data, pos + 20);
        long size = MappedFiles.u32(data, pos + 24);
        int nameLen = MappedFiles.u16(data, pos + 28);
        int extraLen = MappedFiles.u16(data, pos + 30);
        long local = MappedFiles.u32(data, pos + 42);
        if (pos + 46 + nameLen + extraLen > end) {
            throw new CheckpointFormatException(file, "corrupt zip central directory at byte " + pos);
        }
        String name = new String(data.asSlice(pos + 46, nameLen).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8);
        if ((flags & 1) != 0) {
            throw new CheckpointFormatException(file, "zip entry '" + name + "' is encrypted");
        }
        // Zip64 extra field: 64-bit values, present only for the fields saturated at 0xffffffff.
        long extra = pos + 46 + nameLen;
        long extraEnd = extra + extraLen;
        while (extra + 4 <= extraEnd) {
            int id = MappedFiles.u16(data, extra);
            int len = MappedFiles.u16(data, extra + 2);
            if (id == 0x0001) {
                long field = extra + 4;
                if (size == 0xffffffffL && field + 8 <= extra + 4 + len) {
                    size = MappedFiles.u64(data, field);
                    field += 8;
                }
                if (compressed == 0xffffffffL && field + 8 <= extra + 4 + len) {
                    compressed = MappedFiles.u64(data, field);
                    field += 8;
                }
                if (local == 0xffffffffL && field + 8 <= extra + 4 + len) {
                    local = MappedFiles.u64(data, field);
                }
            }
            extra += 4 + len;
        }
        return new Entry(name, method, compressed, size, local);
    }
}
