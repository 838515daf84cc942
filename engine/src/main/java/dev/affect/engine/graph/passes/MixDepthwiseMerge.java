package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Split;
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
 * MDConv as one convolution. Matches {@code Split(axis 1)} into k parts, each part convolved
 * depthwise (groups = its channels, no bias, square odd kernel k_i, padding k_i/2, one stride s for
 * all), then {@code Concat(axis 1)} of the results in split order. A k x k kernel centred in a zero
 * K x K kernel with padding K/2 computes the same output (the extra taps multiply exact zeros), so
 * the match becomes one depthwise Conv2d with the largest kernel K whose weight is a derived
 * parameter. Every intermediate must have a single use and not be a graph output.
 */
public final class MixDepthwiseMerge implements GraphPass {

    @Override
    public Graph apply(Graph graph, ParameterStore store) {
        GraphIndex idx = new GraphIndex(graph);
        Map<Integer, Consumer<Rewriter>> emit = new HashMap<>();
        Set<Integer> skipped = new HashSet<>();
        for (Node n : graph.nodes()) {
            Match m = match(idx, n);
            if (m == null) {
                continue;
            }
            skipped.add(idx.position(m.split));
            m.convs.forEach(c -> skipped.add(idx.position(c)));
            emit.put(idx.position(n), r -> m.emit(r, store));
        }
        return Rewriter.rebuild(graph, emit, skipped);
    }

    private record Match(Node split, List<Node> convs, Node concat, int stride, int kernel, int channels) {

        void emit(Rewriter r, ParameterStore store) {
            List<Value> weights = convs.stream().map(c -> c.input(1)).toList();
            List<String> sources = Derived.keys(weights.toArray(Value[]::new));
            Value w = Derived.parameter(r, store, sources.get(0), "merged", sources, "K=" + kernel,
                    Shape.of(channels, 1, kernel, kernel), ts -> centred(ts, kernel, channels));
            Value y = r.add(new Conv2d(stride, stride, kernel / 2, kernel / 2, channels, false), concat.name(),
                    r.map(split.input(0)), w);
            r.replace(concat.output(), y);
        }
    }

    /** The depthwise kernels [c_i, 1, k_i, k_i], each centred in zeros, stacked into [C, 1, K, K]. */
    static Tensor centred(List<Tensor> parts, int kernel, int channels) {
        float[] merged = new float[channels * kernel * kernel];
        int c0 = 0;
        for (Tensor part : parts) {
            int c = part.shape().dim(0);
            int k = part.shape().dim(2);
            int off = (kernel - k) / 2;
            float[] pw = part.toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        merged[((c0 + ch) * kernel + y + off) * kernel + x + off] = pw[(ch * k + y) * k + x];
                    }
                }
            }
            c0 += c;
        }
        return Tensor.of(merged, channels, 1, kernel, kernel);
    }

    private static Match match(GraphIndex idx, Node concat) {
        if (!(concat.op() instanceof Concat cat) || concat.output().type().rank() != 4
                || Op.axis(cat.axis(), 4) != 1 || concat.inputs().size() < 2) {
            return null;
        }
        List<Value> parts = concat.inputs();
        Node split = null;
        List<Node> convs = new ArrayList<>();
        int stride = -1;
        int kernel = 0;
        int channels = 0;
        for (int j = 0; j < parts.size(); j++) {
            Value part = parts.get(j);
            Node d = idx.producer(part);
            if (d == null || !idx.soleUse(part) || !(d.op() instanceof Conv2d conv) || conv.bias()) {
                return null;
            }
            Value x = d.input(0);
            Value w = d.input(1);
            int[] xd = x.type().dims();
            int[] wd = w.type().dims();
            int c = xd[1];
            int k = wd[2];
            boolean depthwise = c > 0 && w.kind() == Value.Kind.PARAMETER && wd.length == 4 && wd[0] == c
                    && wd[1] == 1 && wd[3] == k && k % 2 == 1 && conv.groups() == c;
            boolean centred = conv.padH() == k / 2 && conv.padW() == k / 2;
            boolean sameStride = conv.strideH() == conv.strideW() && (stride < 0 || conv.strideH() == stride);
            if (!depthwise || !centred || !sameStride) {
                return null;
            }
            Node s = idx.producer(x);
            if (s == null || (split != null && s != split) || !(s.op() instanceof Split)
                    || s.outputs().size() != parts.size() || !s.outputs().get(j).equals(x) || !idx.soleUse(x)) {
                return null;
            }
            split = s;
            stride = conv.strideH();
            kernel = Math.max(kernel, k);
            channels += c;
            convs.add(d);
        }
        Split sp = (Split) split.op();
        if (split.input(0).type().rank() != 4 || Op.axis(sp.axis(), 4) != 1) {
            return null;
        }
        return new Match(split, convs, concat, stride, kernel, channels);
    }
}
