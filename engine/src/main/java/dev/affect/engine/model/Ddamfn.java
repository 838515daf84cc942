package dev.affect.engine.model;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Graph;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.KeyMatcher;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.nn.WeightSource;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded DDAMFN on one backend. Weights are immutable; plans are compiled once per batch size and
 * output selection and reused, so steady-state inference allocates nothing but its results.
 * Thread-safe: calls on one model are serialised (a plan runs on one thread at a time).
 */
public final class Ddamfn implements AutoCloseable {
    private final DdamfnConfig config;
    private final Graph graph;
    private final Backend backend;
    private final Map<String, Plan> plans = new HashMap<>();
    private boolean closed;

    private Ddamfn(DdamfnConfig config, Graph graph, Backend backend) {
        this.config = config;
        this.graph = graph;
        this.backend = backend;
    }

    /**
     * Builds the model from a state_dict (keys without any {@code module.} prefix). Every missing,
     * unexpected or mis-shaped key is reported at once.
     */
    public static Ddamfn create(StateDict checkpoint, Backend backend) {
        Map<String, Tensor> stateDict = checkpoint.asMap();
        Tensor fc = stateDict.get("fc.weight");
        if (fc == null || fc.shape().rank() != 2) {
            throw new IllegalArgumentException("not a DDAMFN checkpoint: no 2-D fc.weight");
        }
        DdamfnConfig cfg = DdamfnConfig.infer(stateDict.keySet(), fc.shape().dim(0));
        KeyMatcher.requireMatch("DDAMFN(num_class=" + cfg.numClass() + ", num_head=" + cfg.numHead() + ")",
                DdamfnKeys.expected(cfg), checkpoint);
        WeightSource weights = key -> {
            Tensor t = stateDict.get(key);
            if (t == null) {
                throw new IllegalArgumentException("missing weight " + key);
            }
            return t.toF32();
        };
        return new Ddamfn(cfg, DdamfnGraph.build(weights, cfg), backend);
    }

    /** Reads a .pth/.pt (torch.save zip) or .safetensors checkpoint and builds the model on a backend. */
    public static Ddamfn load(Path checkpoint, Backend backend) throws IOException {
        return create(CheckpointFiles.read(checkpoint), backend);
    }

    public DdamfnConfig config() {
        return config;
    }

    public Graph graph() {
        return graph;
    }

    public Backend backend() {
        return backend;
    }

    /** The names of every output a plan can produce. */
    public List<String> outputNames() {
        return List.copyOf(graph.outputs().keySet());
    }

    /** The cached plan for this batch size and these outputs (compiled on first use). */
    public synchronized Plan plan(int batch, List<String> outputs) {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
        String key = batch + ":" + String.join(",", outputs);
        Plan p = plans.get(key);
        if (p == null) {
            p = backend.compile(graph.selectOutputs(outputs), Map.of(DdamfnGraph.INPUT, inputShape(batch)));
            plans.put(key, p);
        }
        return p;
    }

    public static Shape inputShape(int batch) {
        return Shape.of(batch, 3, DdamfnConfig.INPUT_SIZE, DdamfnConfig.INPUT_SIZE);
    }

    /** Logits and embedding only: the serving path. Results are fresh tensors owned by the caller. */
    public synchronized Map<String, Tensor> run(Tensor input, List<String> outputs) {
        Shape s = input.shape();
        if (s.rank() != 4 || s.dim(1) != 3 || s.dim(2) != DdamfnConfig.INPUT_SIZE || s.dim(3) != DdamfnConfig.INPUT_SIZE
                || s.dim(0) < 1) {
            throw new IllegalArgumentException("DDAMFN input must be [N, 3, 112, 112], got " + s);
        }
        return plan(s.dim(0), outputs).run(Map.of(DdamfnGraph.INPUT, input), outputs);
    }

    /** Everything forward() returns. */
    public DdamfnOutput infer(Tensor input) {
        List<String> names = new ArrayList<>(List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING, DdamfnGraph.FEATURES));
        for (int h = 0; h < config.numHead(); h++) {
            names.add(DdamfnGraph.head(h));
        }
        Map<String, Tensor> out = run(input, names);
        List<Tensor> heads = new ArrayList<>();
        for (int h = 0; h < config.numHead(); h++) {
            heads.add(out.get(DdamfnGraph.head(h)));
        }
        return new DdamfnOutput(out.get(DdamfnGraph.LOGITS), out.get(DdamfnGraph.EMBEDDING), out.get(DdamfnGraph.FEATURES),
                List.copyOf(heads));
    }

    @Override
    public synchronized void close() {
        closed = true;
        plans.values().forEach(Plan::close);
        plans.clear();
    }
}
