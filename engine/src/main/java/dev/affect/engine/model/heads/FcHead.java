package dev.affect.engine.model.heads;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * A per-frame head: {@code fc} Linear(D, F), ReLU, task layer Linear(F, n), then the task's
 * activation. Rows are independent, so a batch may mix frames of any sequences. Thread-safe.
 */
public final class FcHead implements Head {
    private final HeadCore core;
    private final List<Bucket> buckets;

    FcHead(HeadSpec spec, StateDict checkpoint, Backend backend, HeadOptions options) {
        this.core = new HeadCore(spec, checkpoint);
        try {
            this.buckets = core.compile(backend, HeadGraphs.fc(spec), options.batchBuckets());
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    /** Loads an FC head with the default buckets; an LSTM checkpoint is an InvalidInputException. */
    public static FcHead load(StateDict checkpoint, Backend backend) {
        return load(checkpoint, backend, HeadOptions.defaults());
    }

    public static FcHead load(StateDict checkpoint, Backend backend, HeadOptions options) {
        StateDict sd = HeadSpec.normalize(checkpoint);
        HeadSpec spec = HeadSpec.read(sd);
        if (spec.lstm()) {
            throw new InvalidInputException(HeadSpec.W_IH, "an LSTM head checkpoint; load it as LstmHead (or with Head.load)");
        }
        return new FcHead(spec, sd, backend, options);
    }

    /** The task's values for N frames: embeddings [N, D] in, {@code out} F32 [N, n] (the caller's). */
    public void forward(Tensor embeddings, Tensor out) {
        run(embeddings, out, core.spec.task().isPresent() ? HeadGraphs.VALUE : HeadGraphs.RAW);
    }

    /** The task layer's output before the task activation (logits for EXPR and AU, pre-tanh for VA). */
    public void forwardRaw(Tensor embeddings, Tensor out) {
        run(embeddings, out, HeadGraphs.RAW);
    }

    private void run(Tensor embeddings, Tensor out, String output) {
        int n = HeadCore.rows(embeddings, "embeddings", inputSize());
        HeadCore.requireFloating(embeddings, "embeddings");
        HeadCore.requireOut(out, n, outputSize());
        for (int from = 0; from < n; ) {
            Bucket b = Bucket.fitting(buckets, n - from);
            int rows = Math.min(b.size(), n - from);
            Bucket.Worker w = b.acquire();
            try {
                w.first(HeadGraphs.X, rows).copyFrom(Bucket.rows(embeddings, from, from + rows));
                w.context.execute();
                Bucket.rows(out, from, from + rows).copyFrom(w.first(output, rows));
            } finally {
                b.release(w);
            }
            from += rows;
        }
    }

    /** The batch sizes compiled, ascending. */
    public List<Integer> batchBuckets() {
        return buckets.stream().map(Bucket::size).toList();
    }

    @Override
    public String key() {
        return core.spec.key();
    }

    @Override
    public Optional<Task> task() {
        return core.spec.task();
    }

    @Override
    public int inputSize() {
        return core.spec.inputSize();
    }

    @Override
    public int outputSize() {
        return core.spec.outputSize();
    }

    /** The width of fc (F). */
    public int fcSize() {
        return core.spec.fcSize();
    }

    @Override
    public String describe() {
        return core.spec.describe();
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "FcHead[" + describe() + "]";
    }
}
