package dev.affect.engine.graph;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs one op on the reference backend, every operand fed as an input, and keeps the compiled
 * executable so a test can run it many times (finite differences) without recompiling.
 */
final class ReferenceGradientRunner implements AutoCloseable {
    private final GraphOpCase oneOp;
    private final Backend backend;
    private final ParameterStore store;
    private final PreparedModel model;
    private final Executable exe;
    private final ExecutionContext ctx;

    ReferenceGradientRunner(Op op, Tensor... operands) {
        this.oneOp = GraphOpCase.of(op.describe(), op, 0,
                Arrays.stream(operands).map(GraphOpCase::in).toArray(GraphOpCase.Operand[]::new));
        this.backend = Backends.open("reference");
        this.store = oneOp.newStore();
        this.model = backend.prepare(oneOp.graph(), store);
        this.exe = model.compile(oneOp.inputShapes());
        this.ctx = exe.newContext();
    }

    /** The op's outputs, in order, for these operands (shaped as the ones it was built with). */
    List<Tensor> run(Tensor... operands) {
        Map<String, Tensor> feed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < operands.length; i++) {
            feed.put("in" + i, operands[i]);
        }
        Map<String, Tensor> out = ctx.run(feed);
        List<Tensor> ordered = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            ordered.add(out.get("out" + i));
        }
        return ordered;
    }

    /** Builds, runs once and closes. */
    static List<Tensor> runOnce(Op op, Tensor... operands) {
        try (ReferenceGradientRunner r = new ReferenceGradientRunner(op, operands)) {
            return r.run(operands);
        }
    }

    @Override
    public void close() {
        ctx.close();
        exe.close();
        model.close();
        store.close();
        backend.close();
    }
}
