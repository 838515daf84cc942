package dev.affect.engine.model.ddamfn;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.CheckpointFormatException;
import dev.affect.engine.io.CheckpointMismatchException;
import dev.affect.engine.io.KeyMatcher;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.Backbone;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnKeys;
import dev.affect.engine.model.ddamfn.DdamfnOutput;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loaded DDAMFN on one backend, built on the graph IR. The parameters live once in a
 * {@link ParameterStore}; the graph is prepared once and compiled ahead of time, at load, for every
 * configured batch bucket and one fixed output selection. Nothing is compiled on a request path.
 *
 * <p>A batch of n frames runs on the smallest bucket that holds it, padded with zero frames; a batch
 * larger than the largest bucket runs in chunks. In {@link DdamfnMode#TRAINING} a frame's result
 * depends on the whole batch (BatchNorm uses batch statistics), so there a batch must be exactly
 * one of the bucket sizes and is never padded or chunked.
 *
 * <p>Thread-safe without a model-wide lock: a call borrows one of up to {@link Options#workers()}
 * workers, made on demand, and callers beyond that wait for one to come back. A worker runs one
 * execution at a time, so it owns one {@link dev.affect.engine.backend.Workspace} as large as the
 * largest bucket needs, on which it places one {@link ExecutionContext} per bucket it has run: a
 * worker's memory is the largest bucket's activations and scratchpad, not their sum over buckets.
 */
public final class Ddamfn implements Backbone {
    private final DdamfnConfig config;
    private final Options options;
    private final Graph graph;
    private final ParameterStore store;
    private final PreparedModel prepared;
    private final Backend backend;
    private final TreeMap<Integer, Executable> executables = new TreeMap<>();
    private final WorkerPool workers;
    private final TensorScope scope;
    /** Zero frames [largest bucket, 3, 112, 112] that pad a short batch. */
    private final Tensor zeros;
    private volatile boolean closed;

    /**
     * What a loaded model computes and how.
     *
     * @param mode              INFERENCE (running statistics) or TRAINING (batch statistics)
     * @param buckets           batch sizes compiled at load
     * @param outputs           the outputs compiled (an empty list means every graph output)
     * @param workers           most workers, i.e. concurrent runs; each holds one workspace (the
     *                          largest bucket's activations and scratchpad), made on first need
     */
    public record Options(DdamfnMode mode, BatchBuckets buckets, List<String> outputs, int workers) {
        public Options {
            if (mode == null || buckets == null || outputs == null) {
                throw new IllegalArgumentException("mode, buckets and outputs must be given");
            }
            outputs = List.copyOf(outputs);
            if (workers < 1) {
                throw new InvalidInputException("workers", "must be at least 1, got " + workers);
            }
            if (mode == DdamfnMode.TRAINING && buckets.smallest() < 2) {
                throw new InvalidInputException("buckets", "train-mode BatchNorm needs at least 2 frames (the GDConv's"
                        + " BatchNorm sees one value per frame and channel), got sizes " + buckets.sizes());
            }
        }

        /** Serving: inference, buckets 1..32, logits and embedding, up to one worker per core. */
        public static Options serving() {
            return new Options(DdamfnMode.INFERENCE, BatchBuckets.defaults(), DdamfnNetwork.servingOutputs(),
                    Runtime.getRuntime().availableProcessors());
        }

        /** Inference with every output (forward(), embedding and backbone stages). */
        public static Options allOutputs() {
            return serving().withOutputs(List.of());
        }

        /** The authors' train-mode forward at exactly these batch sizes, every output. */
        public static Options training(int... batchSizes) {
            return new Options(DdamfnMode.TRAINING, BatchBuckets.of(batchSizes), List.of(),
                    Runtime.getRuntime().availableProcessors());
        }

        public Options withMode(DdamfnMode m) {
            return new Options(m, buckets, outputs, workers);
        }

        public Options withBuckets(BatchBuckets b) {
            return new Options(mode, b, outputs, workers);
        }

        public Options withOutputs(List<String> o) {
            return new Options(mode, buckets, o, workers);
        }

        public Options withWorkers(int n) {
            return new Options(mode, buckets, outputs, n);
        }
    }

    private Ddamfn(DdamfnConfig config, Options options, Graph graph, ParameterStore store, Backend backend) {
        this.config = config;
        this.options = options;
        this.store = store;
        TensorScope s = new TensorScope();
        PreparedModel p = null;
        try {
            p = backend.prepare(graph, store);
            for (int b : options.buckets().sizes()) {
                executables.put(b, p.compile(Map.of(DdamfnNetwork.INPUT, DdamfnNetwork.inputShape(b))));
            }
            this.workers = new WorkerPool(backend, executables, options.workers());
            this.zeros = s.allocate(DType.F32, DdamfnNetwork.inputShape(options.buckets().largest()));
        } catch (RuntimeException | Error e) {
            executables.values().forEach(exe -> closeQuietly(exe, e));
            if (p != null) {
                closeQuietly(p, e);
            }
            closeQuietly(s, e);
            throw e;
        }
        this.prepared = p;
        this.backend = backend;
        this.graph = graph;
        this.scope = s;
    }

    /** Loads a checkpoint for serving ({@link Options#serving()}). */
    public static Ddamfn load(Path checkpoint, Backend backend) throws IOException {
        return load(checkpoint, backend, Options.serving());
    }

    /**
     * Reads a checkpoint (the authors' .pth dict, a bare or {@code module.}-prefixed state_dict, or
     * .safetensors) and builds the model. A file that is not a DDAMFN checkpoint is an
     * {@link InvalidInputException} naming the file, with every missing, unexpected or mis-shaped key.
     */
    public static Ddamfn load(Path checkpoint, Backend backend, Options options) throws IOException {
        // The file's tensors are needed only until the parameter store has copied them: freed then,
        // not at some later GC.
        try {
            return CheckpointFiles.readAndRelease(checkpoint, sd -> create(checkpoint.toString(), sd, backend, options));
        } catch (CheckpointFormatException e) {
            throw new InvalidInputException(checkpoint.toString(), e.detail(), e);
        }
    }

    /** Builds the model from a state_dict in memory; errors name "checkpoint". */
    public static Ddamfn create(StateDict checkpoint, Backend backend, Options options) {
        return create(CheckpointMismatchException.FIELD, checkpoint, backend, options);
    }

    private static Ddamfn create(String source, StateDict checkpoint, Backend backend, Options options) {
        StateDict sd = checkpoint.withoutDataParallelPrefix();
        DdamfnConfig cfg = configOf(source, sd);
        KeyMatcher.requireCheckpoint(source, "DDAMFN(num_class=" + cfg.numClass() + ", num_head=" + cfg.numHead() + ")",
                DdamfnKeys.expected(cfg), sd);
        Graph full = DdamfnNetwork.build(cfg, options.mode());
        Graph graph;
        try {
            graph = options.outputs().isEmpty() ? full : full.withOutputs(options.outputs());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("outputs", e.getMessage(), e);
        }
        ParameterStore store = new ParameterStore();
        try {
            for (Value p : graph.parameters()) {
                Tensor t = sd.get(p.name());
                if (!t.dtype().isFloating()) {
                    throw new InvalidInputException(source, p.name() + " is " + t.dtype() + ", expected a floating tensor");
                }
                store.put(p.name(), t);
            }
            Graph ready = options.mode() == DdamfnMode.INFERENCE ? optimise(graph, store) : graph;
            return new Ddamfn(cfg, options, ready, store, backend);
        } catch (RuntimeException | Error e) {
            closeQuietly(store, e);
            throw e;
        }
    }

    /**
     * The inference rewrites (MixDepthwise merge, coordinate-attention split, BN folding, epilogue
     * fusion); their weights are parameters derived in the store, so an update flows into them.
     * Only inference graphs come here: training keeps the authors' graph.
     */
    static Graph optimise(Graph graph, ParameterStore store) {
        return dev.affect.engine.graph.passes.InferencePasses.apply(graph, store);
    }

    private static DdamfnConfig configOf(String source, StateDict sd) {
        if (!sd.contains("fc.weight") || sd.get("fc.weight").shape().rank() != 2) {
            throw new InvalidInputException(source, "not a DDAMFN checkpoint: no 2-D fc.weight (" + sd + ")");
        }
        try {
            return DdamfnConfig.infer(sd.names(), sd.get("fc.weight").shape().dim(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, e.getMessage(), e);
        }
    }

    public DdamfnConfig config() {
        return config;
    }

    public Options options() {
        return options;
    }

    public DdamfnMode mode() {
        return options.mode();
    }

    public BatchBuckets buckets() {
        return options.buckets();
    }

    /** The graph as prepared (after any inference rewrites), with only the selected outputs. */
    public Graph graph() {
        return graph;
    }

    /** The outputs each run can give, fixed at load. */
    public List<String> outputNames() {
        return List.copyOf(graph.outputs().keySet());
    }

    /** The backend it runs on (the caller's: closing the model leaves it open). */
    public Backend backend() {
        return backend;
    }

    /** The parameters every bucket's executable shares. */
    public ParameterStore parameters() {
        return store;
    }

    /** What executes the given bucket, step by step (the backend's plan description). */
    public String describe(int bucket) {
        Executable exe = executables.get(bucket);
        if (exe == null) {
            throw new InvalidInputException("bucket", bucket + " is not a compiled bucket; buckets are " + options.buckets().sizes());
        }
        return exe.describe();
    }

    /** How many executables were compiled: one per bucket, all at load. */
    public int executableCount() {
        return executables.size();
    }

    /** Execution contexts made so far, over all workers and buckets. */
    public int contextCount() {
        return workers.contextCount();
    }

    /** Workers made so far, each holding one workspace of {@link #workspaceBytes()}. */
    public int workerCount() {
        return workers.size();
    }

    /** The bytes of each worker's workspace: the largest any compiled bucket's context needs. */
    public long workspaceBytes() {
        return workers.workspaceBytes();
    }

    @Override
    public int embeddingSize() {
        return DdamfnConfig.EMBEDDING;
    }

    public static Shape inputShape(int batch) {
        return DdamfnNetwork.inputShape(batch);
    }

    /** The named outputs for frames [N, 3, 112, 112], as fresh tensors the caller owns. */
    public Map<String, Tensor> run(Tensor input, List<String> outputs) {
        return run(input, outputs, null);
    }

    /** As {@link #run(Tensor, List)}, with the results allocated in the caller's scope (a request's, say). */
    public Map<String, Tensor> run(Tensor input, List<String> outputs, TensorScope into) {
        requireOpen();
        int n = checkInput(input);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String name : outputs) {
            Shape shape = outputValue(name).type().resolve(n);
            result.put(name, into == null ? Tensor.zeros(shape) : into.allocate(DType.F32, shape));
        }
        execute(input, n, result);
        return result;
    }

    /** Everything forward() returns, and the embedding. */
    public DdamfnOutput infer(Tensor input) {
        Map<String, Tensor> out = run(input, DdamfnNetwork.forwardOutputs(config));
        List<Tensor> heads = new ArrayList<>();
        for (int h = 0; h < config.numHead(); h++) {
            heads.add(out.get(DdamfnNetwork.head(h)));
        }
        return new DdamfnOutput(out.get(DdamfnNetwork.LOGITS), out.get(DdamfnNetwork.EMBEDDING),
                out.get(DdamfnNetwork.FEATURES), List.copyOf(heads));
    }

    @Override
    public void embed(Tensor frames, Tensor out) {
        requireOpen();
        int n = checkInput(frames);
        Shape want = Shape.of(n, DdamfnConfig.EMBEDDING);
        if (!out.shape().equals(want) || out.dtype() != DType.F32) {
            throw new InvalidInputException("out", "embeddings of " + n + " frames need f32" + want + ", got "
                    + out.dtype() + out.shape());
        }
        outputValue(DdamfnNetwork.EMBEDDING);
        execute(frames, n, Map.of(DdamfnNetwork.EMBEDDING, out));
    }

    private Value outputValue(String name) {
        Value v = graph.outputs().get(name);
        if (v == null) {
            throw new InvalidInputException("outputs", "'" + name + "' was not selected when the model was loaded; it gives "
                    + graph.outputs().keySet());
        }
        return v;
    }

    /** Runs n frames bucket by bucket, writing each output's rows into the targets. */
    private void execute(Tensor input, int n, Map<String, Tensor> targets) {
        if (options.mode() == DdamfnMode.TRAINING && !options.buckets().contains(n)) {
            throw new InvalidInputException("input", "a training-mode batch is never padded or split (BatchNorm uses its"
                    + " statistics): " + n + " frames, compiled sizes " + options.buckets().sizes());
        }
        int done = 0;
        WorkerPool.Worker worker = workers.borrow();
        try {
            for (int chunk : options.buckets().chunks(n)) {
                int bucket = options.buckets().bucketFor(chunk);
                ExecutionContext ctx = worker.context(bucket);
                Tensor in = ctx.input(DdamfnNetwork.INPUT);
                in.slice(0, chunk).copyFrom(input.slice(done, done + chunk));
                if (chunk < bucket) {
                    in.slice(chunk, bucket).copyFrom(zeros.slice(0, bucket - chunk));
                }
                ctx.execute();
                for (Map.Entry<String, Tensor> e : targets.entrySet()) {
                    Tensor o = ctx.output(e.getKey());
                    TensorType type = graph.outputs().get(e.getKey()).type();
                    if (type.isSymbolic(0)) {
                        int rows = -type.dims()[0];
                        e.getValue().slice(done * rows, (done + chunk) * rows).copyFrom(o.slice(0, chunk * rows));
                    } else {
                        e.getValue().copyFrom(o);
                    }
                }
                done += chunk;
            }
        } finally {
            workers.giveBack(worker);
        }
    }

    /** The batch size of frames [N, 3, 112, 112] with only finite values; otherwise the caller's error naming "input". */
    private static int checkInput(Tensor input) {
        Shape s = input.shape();
        if (s.rank() != 4 || s.dim(0) < 1 || s.dim(1) != 3 || s.dim(2) != DdamfnConfig.INPUT_SIZE
                || s.dim(3) != DdamfnConfig.INPUT_SIZE) {
            throw new InvalidInputException("input", "DDAMFN takes frames [N, 3, 112, 112] with N >= 1, got " + s);
        }
        if (!input.dtype().isFloating()) {
            throw new InvalidInputException("input", "frames must be floating point, got " + input.dtype());
        }
        long frame = input.numel() / s.dim(0);
        for (long i = 0, n = input.numel(); i < n; i++) {
            float v = input.getFloat(i);
            if (!Float.isFinite(v)) {
                throw new InvalidInputException("input", "frame " + i / frame + " contains " + v + " at element " + i % frame);
            }
        }
        return s.dim(0);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    /**
     * Idempotent. Waits for runs in progress to give their workers back, then frees contexts,
     * workspaces, executables, the prepared model, the parameters and the padding buffer, each even
     * when an earlier one fails. The backend is the caller's.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Throwable failure = null;
        failure = closeCollecting(workers, failure);
        for (Executable exe : executables.values()) {
            failure = closeCollecting(exe, failure);
        }
        failure = closeCollecting(prepared, failure);
        failure = closeCollecting(store, failure);
        failure = closeCollecting(scope, failure);
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }

    private static Throwable closeCollecting(AutoCloseable c, Throwable failure) {
        try {
            c.close();
        } catch (Throwable t) {
            if (failure == null) {
                return t instanceof Exception && !(t instanceof RuntimeException) ? new IllegalStateException(t) : t;
            }
            failure.addSuppressed(t);
        }
        return failure;
    }

    private static void closeQuietly(AutoCloseable c, Throwable into) {
        try {
            c.close();
        } catch (Throwable t) {
            into.addSuppressed(t);
        }
    }
}
