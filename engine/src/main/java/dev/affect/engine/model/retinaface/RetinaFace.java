package dev.affect.engine.model.retinaface;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.passes.InferencePasses;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.CheckpointFormatException;
import dev.affect.engine.io.CheckpointMismatchException;
import dev.affect.engine.io.KeyMatcher;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RetinaFace (MobileNet-0.25) weights on one backend. The parameters live once in a
 * {@link ParameterStore}; a graph is built, prepared and compiled per input shape on first use and
 * cached (the graph depends on H and W), so callers keep the number of shapes small: the
 * {@link RetinaFaceDetector} pads to size buckets. Runs are serialised (one context per shape);
 * closing frees every compiled shape, then the parameters. The backend stays the caller's.
 */
public final class RetinaFace implements AutoCloseable {
    private final String source;
    private final ParameterStore store;
    private final Backend backend;
    /**
     * Input shapes kept compiled at once, least recently used dropped first: with size buckets of 32
     * every shape fits (19); with exact sizes (bucket 1, the authors' numbers) a folder of photos of
     * many shapes recompiles some but never holds more than this many.
     */
    static final int MAX_COMPILED = 24;

    private final Map<Shape, Compiled> compiled = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    /** One input shape's graph made ready: prepared model, executable and its context. */
    private record Compiled(PreparedModel prepared, Executable executable, ExecutionContext context) implements AutoCloseable {
        @Override
        public void close() {
            try (PreparedModel p = prepared; Executable e = executable; ExecutionContext c = context) {
                // closed in reverse: context, executable, prepared model
            }
        }
    }

    private RetinaFace(String source, ParameterStore store, Backend backend) {
        this.source = source;
        this.store = store;
        this.backend = backend;
    }

    /**
     * Reads a checkpoint: the released {@code mobilenet0.25_Final.pth} (a bare state_dict, with or
     * without the {@code module.} prefix of a DataParallel save) or a {@code .safetensors} of the same
     * keys. A file that is not this model is an {@link InvalidInputException} naming the file, with
     * every missing, unexpected or mis-shaped key.
     */
    public static RetinaFace load(Path checkpoint, Backend backend) throws IOException {
        try {
            return CheckpointFiles.readAndRelease(checkpoint, sd -> create(checkpoint.toString(), sd, backend));
        } catch (CheckpointFormatException e) {
            throw new InvalidInputException(checkpoint.toString(), e.detail(), e);
        }
    }

    /** From a state_dict in memory (copied); errors name "checkpoint". */
    public static RetinaFace create(StateDict checkpoint, Backend backend) {
        return create(CheckpointMismatchException.FIELD, checkpoint, backend);
    }

    private static RetinaFace create(String source, StateDict checkpoint, Backend backend) {
        StateDict sd = checkpoint.withoutDataParallelPrefix();
        Map<String, Shape> required = KeyMatcher.requireCheckpoint(source, "RetinaFace(mobilenet0.25)",
                RetinaFaceKeys.expected(), sd);
        ParameterStore store = new ParameterStore();
        try {
            for (String name : required.keySet()) {
                if (name.endsWith(".num_batches_tracked")) {
                    continue;
                }
                Tensor t = sd.get(name);
                if (!t.dtype().isFloating()) {
                    throw new InvalidInputException(source, name + " is " + t.dtype() + ", expected a floating tensor");
                }
                store.put(name, t);
            }
            return new RetinaFace(source, store, backend);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    /** The parameters, by state_dict key (without any {@code module.} prefix). */
    public ParameterStore parameters() {
        return store;
    }

    public Backend backend() {
        return backend;
    }

    /** Input shapes compiled so far. */
    public synchronized int compiledShapes() {
        return compiled.size();
    }

    /**
     * Compiles the executable for an input shape [N, 3, H, W] now (ahead of requests) unless it
     * already is.
     */
    public synchronized void compile(Shape input) {
        requireOpen();
        compiledFor(input);
    }

    /**
     * The raw outputs for input [N, 3, H, W] (B, G, R minus the means, planes as the authors feed
     * them), as fresh tensors the caller owns.
     */
    public synchronized RetinaFaceOutput run(Tensor input) {
        requireOpen();
        Shape s = input.shape();
        if (s.rank() != 4 || s.dim(0) < 1 || s.dim(1) != 3 || s.dim(2) < 1 || s.dim(3) < 1) {
            throw new InvalidInputException("input", "RetinaFace takes [N, 3, H, W] with N, H, W >= 1, got " + s);
        }
        int n = s.dim(0);
        int h = s.dim(2);
        int w = s.dim(3);
        float[] chw = input.toFloatArray();
        float[] hwc = new float[chw.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    hwc[(i * plane + p) * 3 + c] = chw[(i * 3 + c) * plane + p];
                }
            }
        }
        Arrays out = execute(hwc, n, h, w);
        int rows = out.conf().length / 2 / n;
        return new RetinaFaceOutput(Tensor.of(out.loc(), n, rows, 4), Tensor.of(out.conf(), n, rows, 2),
                Tensor.of(out.landms(), n, rows, 10));
    }

    /** The raw outputs as arrays: loc [P*4], conf [P*2], landms [P*10] for one image. */
    public record Arrays(float[] loc, float[] conf, float[] landms) {
    }

    /**
     * As {@link #run(Tensor)} for one image given as HWC values of [h, w, 3] (B, G, R minus the
     * means, pixel-interleaved as {@link Preprocessing} writes them), written straight into the
     * compiled context's input and read straight out of its outputs (no tensor per call: this is the
     * per-frame path of the detector).
     */
    public synchronized Arrays run(float[] hwc, int h, int w) {
        requireOpen();
        if (h < 1 || w < 1 || hwc.length != 3L * h * w) {
            throw new InvalidInputException("input", "RetinaFace takes [1, H, W, 3], got " + hwc.length + " values for "
                    + h + " x " + w);
        }
        return execute(hwc, 1, h, w);
    }

    private Arrays execute(float[] hwc, int n, int h, int w) {
        ExecutionContext ctx = compiledFor(Shape.of(n, 3, h, w)).context();
        ctx.input(RetinaFaceNetwork.INPUT).copyFrom(hwc);
        ctx.execute();
        List<float[]> levels = new ArrayList<>(RetinaFaceNetwork.LEVELS);
        for (int l = 0; l < RetinaFaceNetwork.LEVELS; l++) {
            levels.add(ctx.output(RetinaFaceNetwork.levelOutput(l)).toFloatArray());
        }
        return HeadRows.split(n, levels);
    }

    private Compiled compiledFor(Shape s) {
        Compiled c = compiled.get(s);
        if (c != null) {
            return c;
        }
        Graph graph = InferencePasses.apply(RetinaFaceNetwork.build(s.dim(2), s.dim(3), store), store);
        PreparedModel p = backend.prepare(graph, store);
        Executable exe = null;
        try {
            exe = p.compile(Map.of(RetinaFaceNetwork.INPUT, Shape.of(s.dim(0), s.dim(2), s.dim(3), 3)));
            c = new Compiled(p, exe, exe.newContext());
        } catch (RuntimeException | Error e) {
            if (exe != null) {
                closeQuietly(exe, e);
            }
            closeQuietly(p, e);
            throw e;
        }
        compiled.put(s, c);
        if (compiled.size() > MAX_COMPILED) {
            var eldest = compiled.entrySet().iterator().next();
            compiled.remove(eldest.getKey());
            eldest.getValue().close(); // under this object's lock: no run is using it
        }
        return c;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("RetinaFace (" + source + ") is closed");
        }
    }

    private static void closeQuietly(AutoCloseable c, Throwable into) {
        try {
            c.close();
        } catch (Throwable t) {
            into.addSuppressed(t);
        }
    }

    /** Idempotent: every compiled shape (context, executable, prepared model), then the parameters. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (Compiled c : compiled.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        compiled.clear();
        store.close();
        if (failure != null) {
            throw failure;
        }
    }
}
