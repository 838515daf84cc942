package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.bindings.dnnl.gen.dnnl_exec_arg_t;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.backend.PlanTensors;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled oneDNN plan: primitives, their argument arrays and every buffer, all made once.
 * {@link #execute()} is a loop of dnnl_primitive_execute calls and one stream wait; it allocates
 * nothing. Owned by one thread at a time (the oneDNN stream is not thread-safe).
 */
final class CpuPlan implements Plan {
    private final MemorySegment[] primitives;
    private final Runnable[] kernels;
    private final MemorySegment[] args;
    private final int[] argCounts;
    private final List<Step> steps;
    private final PlanTensors tensors = new PlanTensors();
    private final MemorySegment stream;
    private final CpuBackend backend;
    private final DnnlHandles handles;
    private final Arena arena;
    private final long bufferBytes;
    private boolean closed;

    CpuPlan(CpuBackend backend, List<Step> steps, List<PlanValue> values, Map<String, PlanValue> inputValues, Map<String, PlanValue> outputValues,
            MemorySegment scratchpad, MemorySegment stream, MemorySegment engine, DnnlHandles handles, Arena arena,
            long bufferBytes) {
        this.backend = backend;
        this.steps = List.copyOf(steps);
        this.stream = stream;
        this.handles = handles;
        this.arena = arena;
        this.bufferBytes = bufferBytes;
        for (PlanValue v : values) {
            Dnnl.check(dnnl_memory_set_data_handle(v.memory, v.data), "dnnl_memory_set_data_handle(" + v.name + ")");
        }
        primitives = new MemorySegment[steps.size()];
        kernels = new Runnable[steps.size()];
        args = new MemorySegment[steps.size()];
        argCounts = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.isKernel()) {
                kernels[i] = s.kernel();
                continue;
            }
            List<Step.Binding> b = new ArrayList<>(s.bindings());
            MemorySegment array = dnnl_exec_arg_t.allocateArray(b.size() + 1, arena);
            for (int k = 0; k < b.size(); k++) {
                ExecArgs.set(array, k, b.get(k).arg(), b.get(k).value().memory);
            }
            int n = b.size();
            if (s.scratchpadMd() != null) {
                ExecArgs.set(array, n++, DNNL_ARG_SCRATCHPAD(), handles.memory(engine, s.scratchpadMd(), scratchpad));
            }
            primitives[i] = s.primitive();
            args[i] = array;
            argCounts[i] = n;
        }
        inputValues.forEach((name, v) -> tensors.addInput(name, Tensor.wrap(v.data, DType.F32, v.shape)));
        outputValues.forEach((name, v) -> tensors.addOutput(name, Tensor.wrap(v.data, DType.F32, v.shape)));
    }

    @Override
    public Tensor input(String name) {
        return tensors.input(name);
    }

    @Override
    public Tensor output(String name) {
        return tensors.output(name);
    }

    @Override
    public void execute() {
        if (closed) {
            throw new IllegalStateException("plan is closed");
        }
        synchronized (backend.streamLock) {
            backend.applyThreads();
            run();
        }
    }

    private void run() {
        boolean pending = false;
        for (int i = 0; i < primitives.length; i++) {
            if (kernels[i] != null) {
                if (pending) {
                    // a Java kernel reads what the primitives wrote: let the stream finish first
                    Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
                    pending = false;
                }
                kernels[i].run();
                continue;
            }
            int status = dnnl_primitive_execute(primitives[i], stream, argCounts[i], args[i]);
            if (status != 0) {
                Dnnl.check(status, "dnnl_primitive_execute(" + steps.get(i).name() + ")");
            }
            pending = true;
        }
        Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
    }

    /** One line per primitive with the implementation oneDNN picked (e.g. brg_conv_fwd:avx512_core). */
    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            sb.append(s.name()).append(" -> ").append(s.impl()).append(" ").append(s.output().shape).append('\n');
        }
        sb.append(steps.size()).append(" primitives, ").append(bufferBytes >> 20).append(" MiB of activations\n");
        return sb.toString();
    }

    int primitiveCount() {
        return steps.size();
    }

    long bufferBytes() {
        return bufferBytes;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            handles.close();
            arena.close();
        }
    }
}
