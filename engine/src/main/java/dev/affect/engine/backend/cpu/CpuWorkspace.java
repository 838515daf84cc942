package dev.affect.engine.backend.cpu;

import dev.affect.engine.backend.Workspace;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Host memory (64-byte aligned) for the activation blocks and scratchpads of
 * {@link CpuExecutionContext}s placed on it. It counts the open contexts placed on it and refuses
 * to be freed under them (oneDNN would otherwise write into freed memory), and it remembers which
 * context executed last, so that a context knows when another one has overwritten its bytes.
 *
 * <p>The memory comes from the C library's {@code posix_memalign}, not from {@link Arena#allocate},
 * which zeroes every byte: a workspace sized for the largest bucket would then be resident in full
 * at once, where untouched pages of a fresh (mmap-backed) allocation cost nothing until a context of
 * a bucket that needs them runs. Its bytes are therefore undefined until written; a context zeroes
 * what it needs zeroed itself.
 */
final class CpuWorkspace implements Workspace {
    static final long ALIGN = 64;
    final CpuBackend backend;
    private static final MethodHandle POSIX_MEMALIGN;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        POSIX_MEMALIGN = linker.downcallHandle(linker.defaultLookup().find("posix_memalign").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    /** Closing it frees the memory and makes the segment (and every slice of it) unusable from Java. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;
    private int attached;
    /** The context whose bytes the workspace holds now (it executed last), or null. */
    private volatile Object user;
    private boolean closed;

    CpuWorkspace(CpuBackend backend, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a workspace of " + bytes + " bytes");
        }
        this.backend = backend;
        this.segment = allocate(Math.max(ALIGN, align(bytes)), arena);
    }

    /** {@code bytes} of uninitialised, 64-byte aligned native memory, freed when {@code arena} closes. */
    private static MemorySegment allocate(long bytes, Arena arena) {
        MemorySegment address;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            int status = (int) POSIX_MEMALIGN.invokeExact(out, ALIGN, bytes);
            if (status != 0) {
                throw new OutOfMemoryError("posix_memalign of " + bytes + " bytes failed (" + status + ")");
            }
            address = out.get(ValueLayout.ADDRESS, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return address.reinterpret(bytes, arena, CpuWorkspace::free);
    }

    private static void free(MemorySegment address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static long align(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    @Override
    public long byteSize() {
        return segment.byteSize();
    }

    MemorySegment segment() {
        return segment;
    }

    /** Whether {@code context} executed last here; if not, it is from now on. */
    boolean claim(Object context) {
        if (user == context) {
            return true;
        }
        user = context;
        return false;
    }

    synchronized void attach(CpuExecutable exe) {
        if (closed) {
            throw new IllegalArgumentException("the workspace is closed");
        }
        if (byteSize() < exe.workspaceBytes()) {
            throw new IllegalArgumentException("a workspace of " + byteSize() + " bytes is too small: a context of this"
                    + " executable needs " + exe.workspaceBytes());
        }
        attached++;
    }

    synchronized void detach(Object context) {
        attached--;
        if (user == context) {
            user = null;
        }
    }

    /**
     * Idempotent.
     *
     * @throws IllegalStateException if contexts placed on it are still open (it stays open then)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (attached > 0) {
            throw new IllegalStateException(attached + " execution contexts still use this workspace; close them first");
        }
        closed = true;
        arena.close();
    }

    @Override
    public String toString() {
        return "cpu workspace of " + byteSize() + " bytes";
    }
}
