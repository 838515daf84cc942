package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries whose declared size lies: bounded before allocating, and never inflated past it. */
class ZipArchiveTest {
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;

    @TempDir
    Path dir;

    /** 64 KiB of one byte: deflates to a few hundred bytes. */
    private static final byte[] ZEROS = new byte[64 * 1024];

    @Test
    void honestDeflatedEntryInflates() throws IOException {
        byte[] zip = new ZipBuilder().deflate().put("a/data.pkl", ZEROS).bytes();
        try (Arena arena = Arena.ofConfined()) {
            ZipArchive archive = open(zip, arena);
            MemorySegment read = archive.read(archive.entries().get("a/data.pkl"));
            assertArrayEquals(ZEROS, read.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void deflatedEntryDeclaringMoreThanDeflateCanHoldIsRefusedWithoutAllocating() throws IOException {
        for (long declared : new long[] {0x7fffffffL, 0xffffffffL}) {
            byte[] zip = withDeclaredSize(new ZipBuilder().deflate().put("a/data.pkl", ZEROS).bytes(), declared);
            CountingArena arena = new CountingArena();
            try (arena) {
                ZipArchive archive = open(zip, arena);
                ZipArchive.Entry entry = archive.entries().get("a/data.pkl");
                long start = System.nanoTime();
                CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> archive.read(entry));
                assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused quickly");
                assertEquals("zip entry 'a/data.pkl' declares " + declared + " bytes, more than " + entry.compressedSize()
                        + " deflated bytes can hold", e.detail());
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            }
            assertEquals(0, arena.allocated, "nothing allocated");
        }
    }

    @Test
    void deflatedEntryOverTheCapIsRefused() throws IOException {
        byte[] zip = new ZipBuilder().deflate().put("big", ZEROS).bytes();
        try (Arena arena = Arena.ofConfined()) {
            ZipArchive archive = open(zip, arena, ZEROS.length - 1);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> archive.read(archive.entries().get("big")));
            assertEquals("zip entry 'big' declares 65536 bytes, more than the limit of 65535 bytes per entry", e.detail());
        }
    }

    @Test
    void entryThatInflatesPastItsDeclaredSizeIsRefused() throws IOException {
        byte[] zip = withDeclaredSize(new ZipBuilder().deflate().put("big", ZEROS).bytes(), 1000);
        CountingArena arena = new CountingArena();
        try (arena) {
            ZipArchive archive = open(zip, arena);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> archive.read(archive.entries().get("big")));
            assertEquals("zip entry 'big' inflates to more than its declared 1000 bytes", e.detail());
        }
        assertTrue(arena.allocated <= 1000 + 64, "allocated only the declared size: " + arena.allocated);
    }

    @Test
    void entryThatInflatesShortOfItsDeclaredSizeIsRefused() throws IOException {
        byte[] zip = withDeclaredSize(new ZipBuilder().deflate().put("short", ZEROS).bytes(), ZEROS.length + 1);
        try (Arena arena = Arena.ofConfined()) {
            ZipArchive archive = open(zip, arena);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> archive.read(archive.entries().get("short")));
            assertEquals("zip entry 'short' does not inflate to its declared 65537 bytes", e.detail());
        }
    }

    @Test
    void storedEntryMustDeclareItsStoredSize() throws IOException {
        byte[] zip = withDeclaredSize(new ZipBuilder().put("s", new byte[100]).bytes(), 0x7fffffffL);
        try (Arena arena = Arena.ofConfined()) {
            ZipArchive archive = open(zip, arena);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> archive.read(archive.entries().get("s")));
            assertEquals("zip entry 's' is stored but declares 2147483647 bytes in 100 stored bytes", e.detail());
        }
    }

    /** The whole reader: one CheckpointFormatException naming the file and the entry. */
    @Test
    void lyingCheckpointIsOneFormatError() throws IOException {
        byte[] zip = withDeclaredSize(new ZipBuilder().deflate().put("model/data.pkl", ZEROS).bytes(), 0xffffffffL);
        Path file = Files.write(dir.resolve("lying.pth"), zip);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpointReader.readStateDict(file));
        assertTrue(e.getMessage().startsWith(file + ": zip entry 'model/data.pkl' declares 4294967295 bytes"), e.getMessage());
    }

    private ZipArchive open(byte[] zip, Arena arena) throws IOException {
        return open(zip, arena, ZipArchive.DEFAULT_MAX_ENTRY_BYTES);
    }

    private ZipArchive open(byte[] zip, Arena arena, long maxEntryBytes) throws IOException {
        Path file = Files.write(dir.resolve("archive.zip"), zip);
        return ZipArchive.open(file, MemorySegment.ofArray(Files.readAllBytes(file)), arena, maxEntryBytes);
    }

    /**
     * Sets the uncompressed size of every entry, in the central directory (which the reader trusts)
     * and in the local header (as a hand-made lie would).
     */
    static byte[] withDeclaredSize(byte[] zip, long size) {
        byte[] out = Arrays.copyOf(zip, zip.length);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= out.length; i++) {
            int sig = b.getInt(i);
            if (sig == CENTRAL_SIG) {
                b.putInt(i + 24, (int) size);
            } else if (sig == LOCAL_SIG) {
                b.putInt(i + 22, (int) size);
            }
        }
        return out;
    }

    /** Records how many bytes were asked of it. */
    private static final class CountingArena implements Arena {
        private final Arena delegate = Arena.ofConfined();
        long allocated;

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            allocated += byteSize;
            return delegate.allocate(byteSize, byteAlignment);
        }

        @Override
        public MemorySegment.Scope scope() {
            return delegate.scope();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
