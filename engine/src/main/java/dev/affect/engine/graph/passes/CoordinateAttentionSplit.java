package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Coordinate attention without the concatenation. Matches
 * {@code Concat(axis 2)[a (N,C,H,1), Transpose(0,1,3,2)(b (N,C,1,W))]}, then a chain of per-position
 * ops (1x1 stride-1 unpadded Conv2d, inference BatchNorm, PReLU, pointwise Activation), then
 * {@code Split(axis 2, [H, W])} whose second part is transposed back by {@code Transpose(0,1,3,2)}.
 * Per-position ops commute with the concat, so the chain runs on a and on b separately (reading the
 * same parameter values) and the concat, both transposes and the split disappear. Training-mode
 * BatchNorm normalises over all positions of the concatenation, so it never matches.
 */
public final class CoordinateAttentionSplit implements GraphPass {

    private static final Transpose SWAP_HW = Transpose.of(0, 1, 3, 2);

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
            for (Node s : List.of(m.toRows, m.concat, m.back)) {
                skipped.add(idx.position(s));
            }
            m.chain.forEach(c -> skipped.add(idx.position(c)));
            emit.put(idx.position(m.split), m::emit);
        }
        return Rewriter.rebuild(graph, emit, skipped);
    }

    private record Match(Value a, Value b, Node toRows, Node concat, List<Node> chain, Node split, Node back) {

        void emit(Rewriter r) {
            r.replace(split.outputs().get(0), run(r, r.map(a), ".h"));
            r.replace(back.output(), run(r, r.map(b), ".w"));
        }

        private Value run(Rewriter r, Value x, String suffix) {
            Value cur = x;
            for (Node n : chain) {
                List<Value> ins = new ArrayList<>(List.of(cur));
                n.inputs().subList(1, n.inputs().size()).forEach(v -> ins.add(r.map(v)));
                cur = r.add(n.op(), n.name() + suffix, ins.toArray(Value[]::new));
            }
            return cur;
        }
    }

    private static Match match(GraphIndex idx, Node concat) {
        if (!(concat.op() instanceof Concat cat) || concat.inputs().size() != 2
                || concat.output().type().rank() != 4 || Op.axis(cat.axis(), 4) != 2) {
            return null;
        }
        Value a = concat.input(0);
        Value rows = concat.input(1);
        Node toRows = idx.producer(rows);
        if (toRows == null || !SWAP_HW.equals(toRows.op()) || !idx.soleUse(rows)) {
            return null;
        }
        Value b = toRows.input(0);
        int[] ad = a.type().dims();
        int[] bd = b.type().dims();
        if (ad[3] != 1 || bd[2] != 1 || ad[2] <= 0 || bd[3] <= 0) {
            return null;
        }
        int h = ad[2];
        int w = bd[3];
        List<Node> chain = new ArrayList<>();
        Value cur = concat.output();
        Node next = idx.soleConsumer(cur);
        while (next != null && perPosition(next, cur)) {
            chain.add(next);
            cur = next.output();
            next = idx.soleConsumer(cur);
        }
        if (next == null || !(next.op() instanceof Split split) || Op.axis(split.axis(), 4) != 2
                || !Arrays.equals(split.sizes(), new int[] {h, w})) {
            return null;
        }
        Value cols = next.outputs().get(1);
        Node back = idx.soleConsumer(cols);
        if (back == null || !SWAP_HW.equals(back.op())) {
            return null;
        }
        return new Match(a, b, toRows, concat, chain, next, back);
    }

    /** Whether a node computes each position of {@code x} from that position alone (x its only position-dependent input). */
    private static boolean perPosition(Node n, Value x) {
        if (n.inputs().isEmpty() || !n.input(0).equals(x) || n.outputs().size() != 1) {
            return false;
        }
        return switch (n.op()) {
            case Conv2d c -> c.strideH() == 1 && c.strideW() == 1 && c.padH() == 0 && c.padW() == 0
                    && n.input(1).type().rank() == 4 && n.input(1).type().dims()[2] == 1 && n.input(1).type().dims()[3] == 1;
            case BatchNorm _ -> true;
            case PRelu _ -> true;
            case Activation _ -> true;
            default -> false;
        };
    }
}
