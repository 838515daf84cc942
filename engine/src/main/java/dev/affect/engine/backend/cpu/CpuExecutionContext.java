package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.bindings.dnnl.gen.dnnl_exec_arg_t;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One worker's state for a {@link CpuExecutable}: its own oneDNN stream (the engine is shared),
 * memory objects and execution-argument arrays, all made here once, over an activation block and
 * scratchpad that are slices of a {@link CpuWorkspace}: one of its own ({@link CpuExecutable#newContext()})
 * or one shared with contexts of other executables that never execute at the same time. Values of
 * kind ZEROS are zeroed again whenever another context executed on the workspace since this one
 * did. {@link #execute()} is a loop of dnnl_primitive_execute calls and Java kernels with one
 * stream wait at the end (and one before each kernel); it allocates nothing. One thread at a time;
 * the memory is shared-arena memory, so a context may move between threads.
 */
final class CpuExecutionContext implements ExecutionContext {
    private final CpuExecutable exe;
    private final Arena arena = Arena.ofShared();
    private final DnnlHandles handles = new DnnlHandles();
    private MemorySegment stream = MemorySegment.NULL;
    private final CpuWorkspace workspace;
    private final boolean ownsWorkspace;
    private boolean attached;
    private final MemorySegment block;
    private final MemorySegment[] data;
    private final MemorySegment[] memories;
    private final MemorySegment[] primitives;
    private final JavaKernel[] kernels;
    private final MemorySegment[] args;
    private final int[] argCounts;
    private final Map<String, Tensor> tensors = new HashMap<>();
    private long generation;
    private boolean closed;

    /**
     * Places the context on {@code workspace}; with {@code ownsWorkspace} it closes the workspace
     * when it is closed (or fails to be made).
     */
    CpuExecutionContext(CpuExecutable exe, CpuWorkspace workspace, boolean ownsWorkspace) {
        this.exe = exe;
        this.workspace = workspace;
        this.ownsWorkspace = ownsWorkspace;
        List<CpuValue> values = exe.values;
        List<CpuStep> steps = exe.steps;
        data = new MemorySegment[values.size()];
        memories = new MemorySegment[values.size()];
        primitives = new MemorySegment[steps.size()];
        kernels = new JavaKernel[steps.size()];
        args = new MemorySegment[steps.size()];
        argCounts = new int[steps.size()];
        try {
            workspace.attach(exe);
            attached = true;
            MemorySegment engine = exe.model.engine();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(ValueLayout.ADDRESS);
                Dnnl.check(dnnl_stream_create(out, engine, dnnl_stream_default_flags()), "dnnl_stream_create");
                stream = out.get(ValueLayout.ADDRESS, 0);
            }
            MemorySegment memory = workspace.segment();
            block = memory.asSlice(0, exe.blockBytes);
            MemorySegment scratchpad = memory.asSlice(exe.scratchpadOffset(), Math.max(CpuWorkspace.ALIGN, exe.scratchpadBytes));
            generation = exe.model.ensureFresh();
            for (CpuValue v : values) {
                data[v.index] = resolve(v);
                if (v.md != null) {
                    memories[v.index] = handles.memory(engine, v.md, data[v.index]);
                }
            }
            for (int i = 0; i < steps.size(); i++) {
                CpuStep s = steps.get(i);
                if (s.isKernel()) {
                    kernels[i] = s.kernel();
                    continue;
                }
                List<CpuStep.Arg> b = s.args();
                MemorySegment array = dnnl_exec_arg_t.allocateArray(b.size() + 1, arena);
                for (int k = 0; k < b.size(); k++) {
                    ExecArgs.set(array, k, b.get(k).arg(), memories[b.get(k).value().index]);
                }
                int n = b.size();
                if (s.scratchpadMd() != null) {
                    ExecArgs.set(array, n++, DNNL_ARG_SCRATCHPAD(), handles.memory(engine, s.scratchpadMd(), scratchpad));
                }
                primitives[i] = s.primitive();
                args[i] = array;
                argCounts[i] = n;
            }
            exe.bindable.forEach((name, v) -> tensors.put(name, Tensor.wrap(data[v.index], v.dtype, v.shape)));
        } catch (RuntimeException | Error e) {
            try {
                release();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The bytes of a value: its root's (a slot of the prepared model, or part of the block) from its offset on. */
    private MemorySegment resolve(CpuValue v) {
        CpuValue r = v.root();
        MemorySegment base = r.kind == CpuValue.Kind.PARAMETER ? exe.model.slotData(r.slot)
                : block.asSlice(r.offset, ActivationPlanner.align(exe.rootExtent[r.index]));
        long off = v.totalOffset();
        return base.asSlice(off, v.extent() - off);
    }

    @Override
    public void bind(String name, Tensor tensor) {
        requireOpen();
        exe.signature().requireBindable(name, tensor);
        MemorySegment base = tensor.host().segment();
        for (int idx : exe.bindGroups.get(name)) {
            CpuValue v = exe.values.get(idx);
            long off = v.totalOffset();
            data[idx] = base.asSlice(off, v.extent() - off);
            if (memories[idx] != null) {
                Dnnl.check(dnnl_memory_set_data_handle(memories[idx], data[idx]), "dnnl_memory_set_data_handle(" + name + ")");
            }
        }
        tensors.put(name, tensor);
    }

    @Override
    public Tensor input(String name) {
        requireOpen();
        exe.signature().input(name);
        return tensors.get(name);
    }

    @Override
    public Tensor output(String name) {
        requireOpen();
        exe.signature().output(name);
        return tensors.get(name);
    }

    @Override
    public void execute() {
        requireOpen();
        exe.requireOpen();
        long g = exe.model.ensureFresh();
        if (g != generation) {
            rebindParameters();
            generation = g;
        }
        exe.model.backend().useThreads(exe.threads);
        if (!workspace.claim(this)) {
            // another context on the workspace may have written over the zeros
            for (int z : exe.zeroRoots) {
                data[z].fill((byte) 0);
            }
        }
        boolean pending = false;
        for (int i = 0; i < primitives.length; i++) {
            if (kernels[i] != null) {
                if (pending) {
                    // a Java kernel reads what the primitives wrote: let the stream finish first
                    Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
                    pending = false;
                }
                kernels[i].run(data);
                continue;
            }
            int status = dnnl_primitive_execute(primitives[i], stream, argCounts[i], args[i]);
            if (status != 0) {
                Dnnl.check(status, "dnnl_primitive_execute(" + exe.steps.get(i).name() + ")");
            }
            pending = true;
        }
        Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
    }

    /** After a parameter update: a put may have replaced a store tensor, so look every weight up again. */
    private void rebindParameters() {
        for (CpuValue v : exe.values) {
            if (v.isParameter()) {
                data[v.index] = resolve(v);
                if (memories[v.index] != null) {
                    Dnnl.check(dnnl_memory_set_data_handle(memories[v.index], data[v.index]),
                            "dnnl_memory_set_data_handle(" + v.name + ")");
                }
            }
        }
    }

    @Override
    public Map<String, Tensor> copyOutputs() {
        requireOpen();
        return ExecutionContext.copies(exe.signature(), this);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("execution context is closed");
        }
    }

    /**
     * Idempotent: memory objects, then the stream, then the argument arrays, then it leaves the
     * workspace (closing it when it is its own), each even when the one before failed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    private void release() {
        try {
            handles.close();
        } finally {
            try {
                if (!stream.equals(MemorySegment.NULL)) {
                    MemorySegment s = stream;
                    stream = MemorySegment.NULL;
                    Dnnl.check(dnnl_stream_destroy(s), "dnnl_stream_destroy");
                }
            } finally {
                try {
                    arena.close();
                } finally {
                    if (attached) {
                        attached = false;
                        workspace.detach(this);
                    }
                    if (ownsWorkspace) {
                        workspace.close();
                    }
                }
            }
        }
    }
}
