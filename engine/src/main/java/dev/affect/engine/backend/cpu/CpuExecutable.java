package dev.affect.engine.backend.cpu;

import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Signature;
import dev.affect.engine.backend.Workspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A graph compiled by oneDNN for one input signature: primitives (each with a user-managed
 * scratchpad), their descriptors, the step list and the activation layout. Immutable and safe to
 * share: every worker runs it through its own {@link CpuExecutionContext}, which brings its own
 * stream and memory objects, and its own activation block and scratchpad or a slice of a
 * {@link CpuWorkspace} it shares with contexts that never run at the same time, so no lock is taken
 * on execute.
 */
final class CpuExecutable implements Executable {
    final CpuPreparedModel model;
    private final Signature signature;
    final List<CpuStep> steps;
    final List<CpuValue> values;
    /** Input, state and output names to their buffers. */
    final Map<String, CpuValue> bindable;
    /** For each bindable name, the indices of every value sharing its bytes (itself and its views). */
    final Map<String, int[]> bindGroups;
    /** For each root value (by index), the bytes its views reach; 0 for the others. */
    final long[] rootExtent;
    final long blockBytes;
    final long scratchpadBytes;
    /** OpenMP threads its primitives were made for and run with (one for small work, see WorkEstimate). */
    final int threads;
    /** Roots of kind ZEROS: their bytes must be zero before an execution. */
    final int[] zeroRoots;
    private final DnnlHandles handles;
    private final AtomicBoolean closed = new AtomicBoolean();

    CpuExecutable(CpuPreparedModel model, Signature signature, List<CpuStep> steps, List<CpuValue> values,
                  Map<String, CpuValue> bindable, long blockBytes, long scratchpadBytes, DnnlHandles handles, int threads) {
        this.model = model;
        this.threads = threads;
        this.signature = signature;
        this.steps = List.copyOf(steps);
        this.values = List.copyOf(values);
        this.bindable = Map.copyOf(bindable);
        this.blockBytes = blockBytes;
        this.scratchpadBytes = scratchpadBytes;
        this.handles = handles;
        Map<String, int[]> groups = new LinkedHashMap<>();
        bindable.forEach((name, v) -> {
            List<Integer> idx = new ArrayList<>();
            for (CpuValue w : values) {
                if (w.root() == v.root()) {
                    idx.add(w.index);
                }
            }
            groups.put(name, idx.stream().mapToInt(Integer::intValue).toArray());
        });
        this.bindGroups = Map.copyOf(groups);
        rootExtent = new long[values.size()];
        for (CpuValue v : values) {
            int r = v.root().index;
            rootExtent[r] = Math.max(rootExtent[r], v.extent());
        }
        zeroRoots = values.stream().filter(v -> v.aliasOf == null && v.kind == CpuValue.Kind.ZEROS)
                .mapToInt(v -> v.index).toArray();
    }

    /** Where the scratchpad starts in a context's workspace: after the activation block. */
    long scratchpadOffset() {
        return CpuWorkspace.align(blockBytes);
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public ExecutionContext newContext() {
        requireOpen();
        CpuWorkspace own = new CpuWorkspace(model.backend(), workspaceBytes());
        try {
            return new CpuExecutionContext(this, own, true);
        } catch (RuntimeException | Error e) {
            try {
                own.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The activation block, then the scratchpad, each 64-byte aligned. */
    @Override
    public long workspaceBytes() {
        return scratchpadOffset() + CpuWorkspace.align(Math.max(CpuWorkspace.ALIGN, scratchpadBytes));
    }

    @Override
    public ExecutionContext newContext(Workspace workspace) {
        requireOpen();
        if (!(workspace instanceof CpuWorkspace ws) || ws.backend != model.backend()) {
            throw new IllegalArgumentException("not a workspace of this cpu backend: " + workspace);
        }
        return new CpuExecutionContext(this, ws, false);
    }

    void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("executable is closed");
        }
    }

    /** One line per step with the implementation that runs it (oneDNN's impl name, or "java kernel: ..."). */
    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (CpuStep s : steps) {
            sb.append(s.name()).append(" -> ").append(s.impl()).append(' ').append(s.shape()).append('\n');
        }
        sb.append(steps.size()).append(" steps, ").append(blockBytes >> 10).append(" KiB of activations, ")
                .append(scratchpadBytes >> 10).append(" KiB of scratchpad per context, ").append(threads)
                .append(threads == 1 ? " thread\n" : " threads\n");
        return sb.toString();
    }

    /** Idempotent; contexts made from it must be closed before. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            handles.close();
        }
    }
}
