package dev.affect.engine.model.ddamfn;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.Signature;
import dev.affect.engine.backend.TensorSpec;
import dev.affect.engine.backend.Workspace;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for testing how Ddamfn batches, pads, chunks and shares contexts and workspaces, fast.
 * Each output row is a cheap function of its own input frame only (as in inference), so results
 * must not depend on the bucket or the neighbours. It records every compile, workspace and
 * execution, and fails a context used by two threads at once or after close, two contexts executing
 * on one workspace at once, and a workspace closed under its contexts. As on a real backend, an
 * execution on a workspace overwrites the own buffers of the other contexts placed on it (with NaN bytes).
 */
final class FakeBackend implements Backend {
    static final int FRAME = 3 * 112 * 112;

    /** One execution: the bucket it ran on and how many leading frames were not all zero. */
    record Run(int bucket, int nonZeroFrames) {
    }

    final AtomicInteger compiles = new AtomicInteger();
    final AtomicInteger contexts = new AtomicInteger();
    final AtomicInteger openContexts = new AtomicInteger();
    final AtomicInteger openExecutables = new AtomicInteger();
    final AtomicInteger workspaces = new AtomicInteger();
    final AtomicInteger openWorkspaces = new AtomicInteger();
    /** Bytes of every workspace made, in order. */
    final List<Long> workspaceSizes = new CopyOnWriteArrayList<>();
    final AtomicBoolean preparedOpen = new AtomicBoolean();
    final List<Run> runs = new CopyOnWriteArrayList<>();
    final List<String> misuse = new CopyOnWriteArrayList<>();
    /** The store of the last prepare (valid while that model is open). */
    volatile ParameterStore lastStore;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String description() {
        return "test fake";
    }

    @Override
    public PreparedModel prepare(Graph graph, ParameterStore parameters) {
        parameters.requireFor(graph);
        preparedOpen.set(true);
        lastStore = parameters;
        return new PreparedModel() {
            @Override
            public Graph graph() {
                return graph;
            }

            @Override
            public ParameterStore parameters() {
                return parameters;
            }

            @Override
            public Executable compile(Map<String, Shape> inputShapes) {
                compiles.incrementAndGet();
                return new FakeExecutable(graph, inputShapes);
            }

            @Override
            public void close() {
                preparedOpen.set(false);
            }
        };
    }

    @Override
    public Workspace newWorkspace(long bytes) {
        workspaces.incrementAndGet();
        openWorkspaces.incrementAndGet();
        workspaceSizes.add(bytes);
        return new FakeWorkspace(bytes);
    }

    @Override
    public void close() {
    }

    final class FakeWorkspace implements Workspace {
        final long bytes;
        final AtomicBoolean busy = new AtomicBoolean();
        final List<FakeContext> placed = new CopyOnWriteArrayList<>();
        boolean closed;

        FakeWorkspace(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long byteSize() {
            return bytes;
        }

        @Override
        public void close() {
            if (!closed) {
                if (placed.stream().anyMatch(c -> !c.closed)) {
                    misuse.add("workspace closed under its contexts");
                }
                closed = true;
                openWorkspaces.decrementAndGet();
            }
        }
    }

    /** The fake's logits for one frame: class c gets (c + 1) * mean + first element. */
    static float logit(float[] frame, int c) {
        double sum = 0;
        for (float v : frame) {
            sum += v;
        }
        return (float) ((c + 1) * sum / frame.length + frame[0]);
    }

    final class FakeExecutable implements Executable {
        final Graph graph;
        final Signature signature;
        final int batch;
        boolean closed;

        FakeExecutable(Graph graph, Map<String, Shape> inputShapes) {
            this.graph = graph;
            Map<Integer, Shape> shapes = graph.inferShapes(inputShapes);
            this.batch = graph.batchSize(inputShapes);
            List<TensorSpec> ins = new ArrayList<>();
            for (Value v : graph.inputs()) {
                ins.add(new TensorSpec(v.name(), v.type().dtype(), shapes.get(v.id())));
            }
            List<TensorSpec> outs = new ArrayList<>();
            graph.outputs().forEach((name, v) -> outs.add(new TensorSpec(name, v.type().dtype(), shapes.get(v.id()))));
            this.signature = new Signature(ins, outs);
            openExecutables.incrementAndGet();
        }

        @Override
        public Signature signature() {
            return signature;
        }

        @Override
        public ExecutionContext newContext() {
            contexts.incrementAndGet();
            openContexts.incrementAndGet();
            return new FakeContext(this, null);
        }

        /** What a bucket's activations would take: its input frames. */
        @Override
        public long workspaceBytes() {
            return (long) batch * FRAME * Float.BYTES;
        }

        @Override
        public ExecutionContext newContext(Workspace workspace) {
            if (!(workspace instanceof FakeWorkspace ws) || ws.closed) {
                throw new IllegalArgumentException("not an open fake workspace: " + workspace);
            }
            if (ws.bytes < workspaceBytes()) {
                throw new IllegalArgumentException("workspace of " + ws.bytes + " bytes, need " + workspaceBytes());
            }
            contexts.incrementAndGet();
            openContexts.incrementAndGet();
            FakeContext c = new FakeContext(this, ws);
            ws.placed.add(c);
            return c;
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openExecutables.decrementAndGet();
            }
        }
    }

    final class FakeContext implements ExecutionContext {
        final FakeExecutable exe;
        final FakeWorkspace workspace;
        final TensorScope scope = new TensorScope();
        final Map<String, Tensor> buffers = new LinkedHashMap<>();
        /** Its own buffers (not bound ones), which live in the workspace on a real backend. */
        final Map<String, Tensor> own = new LinkedHashMap<>();
        final AtomicBoolean busy = new AtomicBoolean();
        boolean closed;

        FakeContext(FakeExecutable exe, FakeWorkspace workspace) {
            this.exe = exe;
            this.workspace = workspace;
            for (TensorSpec s : exe.signature.inputs()) {
                buffers.put(s.name(), scope.allocate(s.dtype(), s.shape()));
            }
            for (TensorSpec s : exe.signature.outputs()) {
                buffers.put(s.name(), scope.allocate(s.dtype(), s.shape()));
            }
            own.putAll(buffers);
        }

        @Override
        public void bind(String name, Tensor tensor) {
            buffers.put(name, tensor);
        }

        @Override
        public Tensor input(String name) {
            use();
            return buffers.get(exe.signature.input(name).name());
        }

        @Override
        public Tensor output(String name) {
            use();
            return buffers.get(exe.signature.output(name).name());
        }

        private void use() {
            if (closed || exe.closed) {
                misuse.add("context used after close");
            }
            if (workspace != null && workspace.closed) {
                misuse.add("context used after its workspace was closed");
            }
        }

        @Override
        public void execute() {
            use();
            if (!busy.compareAndSet(false, true)) {
                misuse.add("two threads executed one context at once");
            }
            if (workspace != null && !workspace.busy.compareAndSet(false, true)) {
                misuse.add("two contexts executed on one workspace at once");
            }
            try {
                Tensor in = buffers.get(DdamfnNetwork.INPUT);
                int nonZero = 0;
                for (int r = 0; r < exe.batch; r++) {
                    float[] frame = in.slice(r, r + 1).toFloatArray();
                    boolean zero = true;
                    for (float v : frame) {
                        zero &= v == 0f;
                    }
                    if (!zero) {
                        nonZero = r + 1;
                    }
                    if (buffers.containsKey(DdamfnNetwork.LOGITS)) {
                        Tensor logits = buffers.get(DdamfnNetwork.LOGITS);
                        int classes = logits.shape().dim(1);
                        for (int c = 0; c < classes; c++) {
                            logits.setFloat((long) r * classes + c, logit(frame, c));
                            Thread.yield(); // widen any race between callers sharing this context
                        }
                    }
                    if (buffers.containsKey(DdamfnNetwork.EMBEDDING)) {
                        Tensor emb = buffers.get(DdamfnNetwork.EMBEDDING);
                        for (int k = 0; k < 512; k++) {
                            emb.setFloat((long) r * 512 + k, frame[k * 7] - frame[k]);
                        }
                    }
                }
                runs.add(new Run(exe.batch, nonZero));
                if (workspace != null) {
                    for (FakeContext other : workspace.placed) {
                        if (other != this && !other.closed) {
                            other.own.forEach((name, t) -> {
                                if (other.buffers.get(name) == t) {
                                    t.host().segment().fill((byte) 0xFF); // NaN in every f32
                                }
                            });
                        }
                    }
                }
            } finally {
                if (workspace != null) {
                    workspace.busy.set(false);
                }
                busy.set(false);
            }
        }

        @Override
        public Map<String, Tensor> copyOutputs() {
            return ExecutionContext.copies(exe.signature, this);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openContexts.decrementAndGet();
                scope.close();
            }
        }
    }
}
