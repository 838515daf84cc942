package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Inference BatchNorm folded into the convolution before it. Matches {@code Conv2d -> BatchNorm}
 * where the BatchNorm is the convolution output's only reader (and that output is no graph output)
 * and every weight involved is a parameter; emits a {@link FusedConv2d} with derived weight
 * {@code w * s} and bias {@code (b - mean) * s + beta}, {@code s = gamma / sqrt(var + eps)} per
 * output channel ({@code b = 0} without a conv bias), computed in double. Training-mode BatchNorm
 * is a different op and never matches.
 */
public final class BatchNormFolding implements GraphPass {

    @Override
    public Graph apply(Graph graph, ParameterStore store) {
        GraphIndex idx = new GraphIndex(graph);
        Map<Integer, Consumer<Rewriter>> emit = new HashMap<>();
        Set<Integer> skipped = new HashSet<>();
        for (Node bn : graph.nodes()) {
            if (!(bn.op() instanceof BatchNorm norm)) {
                continue;
            }
            Value x = bn.input(0);
            Node conv = idx.producer(x);
            if (conv == null || !(conv.op() instanceof Conv2d c) || !idx.soleUse(x)
                    || !Derived.allParameters(conv.inputs().subList(1, conv.inputs().size()))
                    || !Derived.allParameters(bn.inputs().subList(1, 5))) {
                continue;
            }
            skipped.add(idx.position(conv));
            emit.put(idx.position(bn), r -> {
                Value[] wb = fold(r, store, conv, c, bn, norm);
                Value y = r.add(FusedConv2d.of(c), bn.name(), r.map(conv.input(0)), wb[0], wb[1]);
                r.replace(bn.output(), y);
            });
        }
        return Rewriter.rebuild(graph, emit, skipped);
    }

    /** The folded weight and bias as derived parameters of the graph being built. */
    private static Value[] fold(Rewriter r, ParameterStore store, Node conv, Conv2d c, Node bn, BatchNorm norm) {
        Value w = conv.input(1);
        Value b = c.bias() ? conv.input(2) : null;
        Value mean = bn.input(1);
        Value var = bn.input(2);
        Value gamma = bn.input(3);
        Value beta = bn.input(4);
        double eps = norm.eps();
        String attrs = "eps=" + Float.toString(norm.eps());
        Shape ws = w.type().shape();
        int out = ws.dim(0);
        Value weight = Derived.parameter(r, store, w.name(), "folded", Derived.keys(w, var, gamma), attrs, ws, ts -> {
            float[] wv = ts.get(0).toFloatArray();
            float[] vv = ts.get(1).toFloatArray();
            float[] g = ts.get(2).toFloatArray();
            int per = wv.length / out;
            float[] nw = new float[wv.length];
            for (int o = 0; o < out; o++) {
                double s = g[o] / Math.sqrt(vv[o] + eps);
                for (int k = 0; k < per; k++) {
                    nw[o * per + k] = (float) (wv[o * per + k] * s);
                }
            }
            return Tensor.of(nw, ws.dims());
        });
        List<Value> biasSources = new ArrayList<>(b == null ? List.of() : List.of(b));
        biasSources.addAll(List.of(mean, var, gamma, beta));
        List<String> keys = Derived.keys(biasSources.toArray(Value[]::new));
        boolean hasBias = b != null;
        // named after the conv weight, like the folded weight, so both read as one fold
        Value bias = Derived.parameter(r, store, w.name(), "folded-bias", keys, attrs, Shape.of(out), ts -> {
            int i = 0;
            float[] bv = hasBias ? ts.get(i++).toFloatArray() : new float[out];
            float[] m = ts.get(i++).toFloatArray();
            float[] vv = ts.get(i++).toFloatArray();
            float[] g = ts.get(i++).toFloatArray();
            float[] be = ts.get(i).toFloatArray();
            float[] nb = new float[out];
            for (int o = 0; o < out; o++) {
                double s = g[o] / Math.sqrt(vv[o] + eps);
                nb[o] = (float) (((double) bv[o] - m[o]) * s + be[o]);
            }
            return Tensor.of(nb, out);
        });
        return new Value[] {weight, bias};
    }
}
