package dev.affect.server.schedule;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.FaceNormalizer;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.model.heads.FcHead;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.HeadState;
import dev.affect.engine.model.heads.LstmHead;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineOutput;
import dev.affect.engine.model.heads.PipelineState;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.ServedPipeline;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Batches the frames of every session and unary request of one pipeline (Triton's "Oldest" policy):
 * a batch holds at most one frame per owner, owners' frames keep their order, and a batch runs when
 * it is full or its oldest frame has waited {@link SchedulerConfig#maxDelay()}.
 *
 * <p>Threads: callers only enqueue ({@link #submit}, never blocks); the shared decode pool decodes
 * and normalises each frame straight into its row of a preallocated batch buffer (a ring of
 * {@link SchedulerConfig#batchBuffers()} buffers of {@code maxBatch} rows); one device thread runs
 * the backbone and heads on each batch and hands every row's result to its job's callback.
 *
 * <p>Bounds: frames and encoded bytes accepted and not yet answered ({@link QueueFullException}
 * beyond them). A cancelled frame stops counting at once ({@link #cancel}); failed and cancelled rows
 * are left out of the pass (the live rows are moved to the front), so they never advance a session's
 * state. Each buffer also holds the batch's embeddings and head outputs: a batch of stream frames
 * allocates no native memory; one with Predict frames allocates its logits and embeddings, which the
 * engine's backbone API returns only in fresh tensors.
 */
public final class FrameScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FrameScheduler.class.getName());
    private static final List<String> OUTPUTS = List.of(DdamfnNetwork.LOGITS, DdamfnNetwork.EMBEDDING);
    private static final int ROW = FaceNormalizer.CHANNELS * FaceNormalizer.SIZE * FaceNormalizer.SIZE;
    private static final ThreadLocal<float[]> ROW_BUFFERS = ThreadLocal.withInitial(() -> new float[ROW]);

    private final ServedPipeline pipeline;
    private final Ddamfn backbone;
    private final Pipeline heads;
    private final List<Task> tasks;
    private final SchedulerConfig config;
    private final DecodeBudget budget;
    private final Executor decodePool;
    private final ServerMetrics metrics;
    private final TensorScope scope = new TensorScope();
    private final ThreadLocal<FacePreprocessor> preprocessors;
    private final Batch[] ring;
    private final PipelineState[] scratch;
    private final long maxDelayNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<FrameJob> pending = new ArrayDeque<>();
    private int queuedFrames;
    private long queuedBytes;
    /** Batches answered (heads run and results sent), in ring order. */
    private long runSeq;
    /** Batches taken by a device worker; runSeq <= claimSeq <= fillSeq. */
    private long claimSeq;
    private long fillSeq;
    private boolean closing;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger liveWorkers = new AtomicInteger();

    private static final class Batch {
        final Tensor input;
        /** The embeddings [maxBatch, E] and heads' outputs [maxBatch, width] per task, reused by every batch of this buffer. */
        final Tensor embeddings;
        final Map<Task, Tensor> values;
        final FrameJob[] rows;
        final Set<Object> owners = new HashSet<>();
        final RuntimeException[] errors;
        /** Rows whose frame was cancelled (answered, and no longer counted in the queue) before the batch ran. */
        final boolean[] dropped;
        final int[] compacted;
        int assigned;
        int decoded;
        long oldest;
        boolean sealed;
        /** Taken by a device worker: cancellation no longer drops its rows. */
        boolean running;

        Batch(Tensor input, Tensor embeddings, Map<Task, Tensor> values, int rows) {
            this.input = input;
            this.embeddings = embeddings;
            this.values = values;
            this.rows = new FrameJob[rows];
            this.errors = new RuntimeException[rows];
            this.dropped = new boolean[rows];
            this.compacted = new int[rows];
        }

        void reset() {
            java.util.Arrays.fill(rows, null);
            java.util.Arrays.fill(errors, null);
            java.util.Arrays.fill(dropped, false);
            owners.clear();
            assigned = 0;
            decoded = 0;
            sealed = false;
            running = false;
        }
    }

    /**
     * Takes a reference on {@code pipeline} (released by {@link #close()}) and starts the device thread.
     *
     * @throws ServerUnavailableException when the pipeline is already retired
     */
    public FrameScheduler(ServedPipeline pipeline, SchedulerConfig config, DecodeBudget budget, Executor decodePool,
            ServerMetrics metrics) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.config = Objects.requireNonNull(config, "config");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.decodePool = Objects.requireNonNull(decodePool, "decodePool");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (!pipeline.acquire()) {
            throw new ServerUnavailableException("pipeline '" + pipeline.name() + "' is being unloaded");
        }
        this.backbone = pipeline.backbone();
        this.heads = pipeline.pipeline().orElse(null);
        this.tasks = pipeline.tasks();
        this.maxDelayNanos = config.maxDelay().toNanos();
        long maxFramePixels = budget.maxFramePixels();
        this.preprocessors = ThreadLocal.withInitial(() -> new FacePreprocessor(ImageDecoder.best(), maxFramePixels));
        ring = new Batch[config.batchBuffers()];
        for (int i = 0; i < ring.length; i++) {
            Map<Task, Tensor> values = new EnumMap<>(Task.class);
            pipeline.heads().forEach((task, head) ->
                    values.put(task, scope.allocate(DType.F32, Shape.of(config.maxBatch(), head.outputSize()))));
            ring[i] = new Batch(scope.allocate(DType.F32, Ddamfn.inputShape(config.maxBatch())),
                    scope.allocate(DType.F32, Shape.of(config.maxBatch(), backbone.embeddingSize())), values, config.maxBatch());
        }
        scratch = new PipelineState[config.maxBatch()];
        if (heads != null) {
            for (int i = 0; i < scratch.length; i++) {
                scratch[i] = heads.newState(scope);
            }
        }
        liveWorkers.set(config.deviceWorkers());
        for (int i = 0; i < config.deviceWorkers(); i++) {
            workers.add(Thread.ofPlatform().name("affect-device-" + pipeline.name() + "-" + i).daemon(true).start(this::workLoop));
        }
    }

    public ServedPipeline pipeline() {
        return pipeline;
    }

    public SchedulerConfig config() {
        return config;
    }

    /** The per-frame pixel check, for callers that refuse an oversized image before queueing it. */
    public DecodeBudget budget() {
        return budget;
    }

    /**
     * Queues frames, all or none. Never blocks.
     *
     * @throws QueueFullException when the frames would exceed the queue's frame or byte bound
     * @throws ServerUnavailableException when the scheduler is closing
     */
    public void submit(List<FrameJob> jobs) {
        long bytes = 0;
        for (FrameJob j : jobs) {
            bytes += j.data().bytes();
        }
        lock.lock();
        try {
            if (closing) {
                throw new ServerUnavailableException("pipeline '" + pipeline.name() + "' is shutting down or unloaded");
            }
            if (queuedFrames + jobs.size() > config.queueFrames() || queuedBytes + bytes > config.queueBytes()) {
                throw new QueueFullException("the server's queue is full (" + queuedFrames + " of " + config.queueFrames()
                        + " frames, " + queuedBytes + " of " + config.queueBytes() + " bytes waiting); retry later");
            }
            queuedFrames += jobs.size();
            queuedBytes += bytes;
            pending.addAll(jobs);
            assign();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < jobs.size(); i++) {
            metrics.received(pipeline.name());
        }
    }

    /**
     * Drops the owner's frames at once, those waiting for a batch and those placed in a batch that is
     * not running yet (their rows are left out when it runs); each gets a cancelled result and stops
     * counting against the queue's bounds. Frames of the batch running now are answered by it.
     */
    public void cancel(Object owner) {
        List<FrameJob> removed = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<FrameJob> it = pending.iterator(); it.hasNext(); ) {
                FrameJob j = it.next();
                if (j.owner() == owner) {
                    it.remove();
                    removed.add(j);
                    queuedFrames--;
                    queuedBytes -= j.data().bytes();
                }
            }
            for (Batch b : ring) {
                if (b.running) {
                    continue;
                }
                for (int i = 0; i < b.assigned; i++) {
                    FrameJob j = b.rows[i];
                    if (!b.dropped[i] && j.owner() == owner) {
                        b.dropped[i] = true;
                        removed.add(j);
                        queuedFrames--;
                        queuedBytes -= j.data().bytes();
                    }
                }
            }
            if (!removed.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        for (FrameJob j : removed) {
            finish(j, RowResult.failed(new RequestCancelledException(j.field() + ": cancelled"), null));
        }
    }

    /** Frames accepted and not yet answered. */
    public int queuedFrames() {
        lock.lock();
        try {
            return queuedFrames;
        } finally {
            lock.unlock();
        }
    }

    // ---- batch formation (under lock) ----

    private Batch filling() {
        return ring[(int) (fillSeq % ring.length)];
    }

    private void assign() {
        Batch b = filling();
        if (b.sealed) {
            return;
        }
        for (Iterator<FrameJob> it = pending.iterator(); it.hasNext(); ) {
            FrameJob job = it.next();
            if (b.owners.contains(job.owner())) {
                continue;
            }
            it.remove();
            int row = b.assigned++;
            b.rows[row] = job;
            b.owners.add(job.owner());
            if (row == 0) {
                b.oldest = job.receivedNanos();
            }
            Batch target = b;
            decodePool.execute(() -> decode(target, row, job));
            if (b.assigned == b.rows.length) {
                seal(b);
                b = filling();
                if (b.sealed) {
                    return;
                }
            }
        }
    }

    private void seal(Batch b) {
        b.sealed = true;
        if (b == filling() && fillSeq + 1 - runSeq < ring.length) {
            fillSeq++;
        }
    }

    // ---- decode pool ----

    private void decode(Batch b, int row, FrameJob job) {
        RuntimeException error = null;
        try {
            if (job.cancelled().getAsBoolean()) {
                error = new RequestCancelledException(job.field() + ": cancelled");
            } else {
                write(job, b.input, row);
            }
        } catch (RuntimeException e) {
            error = e;
        }
        lock.lock();
        try {
            b.errors[row] = error;
            b.decoded++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void write(FrameJob job, Tensor input, int row) {
        switch (job.data()) {
            case FrameJob.Image image -> {
                String field = job.field() + ".image";
                try (DecodeBudget.Lease lease = budget.reserve(image.dimensions(), field)) {
                    FaceNormalizer.writeInto(input, row, preprocessors.get().face(image.encoded(), image.dimensions(), field));
                }
            }
            case FrameJob.Decoded d -> FaceNormalizer.writeInto(input, row, d.face());
            case FrameJob.Normalized t -> {
                float[] values = ROW_BUFFERS.get();
                String field = job.field() + ".normalized";
                if (t.rawLittleEndian() != null) {
                    FloatBuffer fb = t.rawLittleEndian().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    fb.get(values);
                    field += ".raw_contents";
                } else {
                    List<Float> v = t.values();
                    for (int i = 0; i < ROW; i++) {
                        values[i] = v.get(i);
                    }
                    field += ".fp32_contents";
                }
                for (int i = 0; i < ROW; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new InvalidInputException(field, "value " + i + " is " + values[i] + "; every value must be finite");
                    }
                }
                input.slice(row, row + 1).copyFrom(values);
            }
        }
    }

    // ---- device thread ----

    /**
     * One device worker: takes the next ready batch, runs its backbone pass (workers overlap here),
     * then waits for the batch before it to be answered, so that heads and results, which carry
     * each session's state, advance in batch order.
     */
    private void workLoop() {
        while (true) {
            Batch b;
            long seq;
            lock.lock();
            try {
                b = nextBatch();
                if (b == null) {
                    break;
                }
                seq = claimSeq++;
                b.running = true;
                changed.signalAll();
            } catch (InterruptedException e) {
                break;
            } finally {
                lock.unlock();
            }
            try {
                run(b, () -> awaitTurn(seq));
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "batch of pipeline '" + pipeline.name() + "' failed", e);
            }
            lock.lock();
            try {
                awaitTurnLocked(seq);
                for (int i = 0; i < b.assigned; i++) {
                    if (!b.dropped[i]) {
                        queuedFrames--;
                        queuedBytes -= b.rows[i].data().bytes();
                    }
                }
                b.reset();
                runSeq++;
                if (filling().sealed && fillSeq + 1 - runSeq < ring.length) {
                    fillSeq++;
                }
                if (runSeq > fillSeq) {
                    fillSeq = runSeq;
                }
                if (claimSeq < runSeq) {
                    claimSeq = runSeq;
                }
                assign();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // The last worker out, closing and drained: nothing reads the buffers any more.
        if (liveWorkers.decrementAndGet() == 0) {
            scope.close();
            pipeline.release();
        }
    }

    /** Blocks until every batch taken before batch {@code seq} has been answered. */
    private void awaitTurn(long seq) {
        lock.lock();
        try {
            awaitTurnLocked(seq);
        } finally {
            lock.unlock();
        }
    }

    private void awaitTurnLocked(long seq) {
        while (runSeq != seq) {
            changed.awaitUninterruptibly();
        }
    }

    /** Waits for the next batch to be ready; null once closing and drained. */
    private Batch nextBatch() throws InterruptedException {
        while (true) {
            Batch b = ring[(int) (claimSeq % ring.length)];
            if (b.assigned > 0 && !b.sealed) {
                long wait = b.oldest + maxDelayNanos - System.nanoTime();
                if (wait <= 0 || closing) {
                    seal(b);
                    assign();
                } else {
                    changed.awaitNanos(wait);
                }
                continue;
            }
            if (b.sealed && b.decoded == b.assigned) {
                return b;
            }
            if (closing && b.assigned == 0 && pending.isEmpty() && claimSeq == runSeq) {
                return null;
            }
            changed.await(50, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs the batch's live rows: dropped rows (already answered) are skipped, failed and cancelled
     * ones answered without running; the live rows are moved to the front so that only they are
     * computed, and the heads write into the buffer's preallocated outputs.
     */
    private void run(Batch b, Runnable awaitTurn) {
        int n = b.assigned;
        long start = System.nanoTime();
        int live = 0;
        for (int i = 0; i < n; i++) {
            FrameJob job = b.rows[i];
            b.compacted[i] = -1;
            if (b.dropped[i]) {
                continue;
            }
            if (b.errors[i] == null && job.cancelled().getAsBoolean()) {
                b.errors[i] = new RequestCancelledException(job.field() + ": cancelled");
            }
            if (b.errors[i] == null) {
                if (i != live) {
                    b.input.slice(live, live + 1).copyFrom(b.input.slice(i, i + 1));
                }
                b.compacted[i] = live++;
                metrics.queued(pipeline.name(), start - job.receivedNanos());
            }
        }
        RowResult.BatchOutput output = null;
        RuntimeException batchError = null;
        if (live > 0) {
            boolean backboneOutputs = false;
            for (int i = 0; i < n; i++) {
                backboneOutputs |= b.compacted[i] >= 0 && b.rows[i].backboneOutputs();
            }
            // Only a batch that must return logits allocates (the engine's backbone API gives them in
            // fresh tensors); one of stream frames writes the embeddings and values into the buffer's own.
            TensorScope out = backboneOutputs ? new TensorScope() : null;
            try {
                Tensor frames = b.input.slice(0, live);
                Tensor embeddings;
                float[] logits = null;
                if (out != null) {
                    Map<String, Tensor> backboneOut = backbone.run(frames, OUTPUTS, out);
                    embeddings = backboneOut.get(DdamfnNetwork.EMBEDDING);
                    logits = backboneOut.get(DdamfnNetwork.LOGITS).toFloatArray();
                } else {
                    embeddings = b.embeddings.slice(0, live);
                    backbone.embed(frames, embeddings);
                }
                Map<Task, float[]> values = new EnumMap<>(Task.class);
                awaitTurn.run();
                if (heads != null) {
                    List<PipelineState> states = new ArrayList<>(live);
                    for (int i = 0; i < n; i++) {
                        int row = b.compacted[i];
                        if (row < 0) {
                            continue;
                        }
                        PipelineState own = b.rows[i].state();
                        if (own != null) {
                            if (b.rows[i].startsSequence()) {
                                own.reset(); // on the device thread, in the session's frame order
                            }
                            states.add(own);
                        } else {
                            scratch[row].reset();
                            states.add(scratch[row]);
                        }
                    }
                    for (Map.Entry<Task, Head> e : pipeline.heads().entrySet()) {
                        Tensor target = b.values.get(e.getKey()).slice(0, live);
                        switch (e.getValue()) {
                            case FcHead f -> f.forward(embeddings, target);
                            case LstmHead l -> {
                                List<HeadState> rowStates = new ArrayList<>(live);
                                for (PipelineState s : states) {
                                    rowStates.add(s.of(l.key()));
                                }
                                l.step(embeddings, rowStates, target);
                            }
                        }
                        if (tasks.contains(e.getKey())) {
                            values.put(e.getKey(), target.toFloatArray());
                        }
                    }
                }
                output = new RowResult.BatchOutput(live, logits, out != null ? embeddings.toFloatArray() : null, values);
            } catch (InvalidInputException e) {
                batchError = new IllegalStateException("the model rejected a batch built from validated frames: "
                        + e.getMessage(), e);
            } catch (RuntimeException e) {
                batchError = e;
            } finally {
                if (out != null) {
                    out.close();
                }
            }
            long computeNanos = System.nanoTime() - start;
            if (batchError == null) {
                metrics.batchExecuted(pipeline.name(), live, computeNanos);
            } else {
                LOG.log(System.Logger.Level.ERROR, "batch of " + live + " frames on pipeline '" + pipeline.name() + "' failed",
                        batchError);
            }
        }
        awaitTurn.run();
        for (int i = 0; i < n; i++) {
            if (b.dropped[i]) {
                continue;
            }
            FrameJob job = b.rows[i];
            RuntimeException error = b.errors[i] != null ? b.errors[i] : batchError;
            finish(job, error != null ? RowResult.failed(error, null)
                    : RowResult.of(output, b.compacted[i], start - job.receivedNanos()));
        }
    }

    private void finish(FrameJob job, RowResult result) {
        try {
            job.done().accept(result);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "result callback of " + job.field() + " failed", e);
        }
    }

    /**
     * Stops taking frames and returns at once; the device thread answers every frame already
     * accepted, then frees the batch buffers and releases the pipeline. Idempotent.
     */
    public void closeAsync() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once the device thread has answered every frame and freed the buffers after {@link #closeAsync()}. */
    public boolean isTerminated() {
        return workers.stream().noneMatch(Thread::isAlive);
    }

    /**
     * Stops taking frames, answers every frame already accepted, stops the device thread, frees the
     * batch buffers and releases the pipeline (waits up to 30 s for that). Idempotent.
     */
    @Override
    public void close() {
        closeAsync();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (Thread w : workers) {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!isTerminated()) {
            LOG.log(System.Logger.Level.WARNING, "device thread of pipeline '" + pipeline.name() + "' did not stop in time");
        }
    }
}
