package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Activations and residual adds fused into the convolution before them, in two sweeps:
 * <ol>
 * <li>{@code conv -> PRelu} or {@code conv -> Activation} (RELU, SIGMOID, TANH, HSWISH, LEAKY_RELU,
 * GELU_ERF, GELU_TANH) becomes the conv's epilogue activation, when the conv has none and no residual;</li>
 * <li>{@code conv -> Binary ADD} with another value of exactly the conv output's type becomes the
 * conv's residual input, when that value is made before the convolution (a caller-fed value, a
 * parameter, or the output of an earlier node) and the conv has no residual yet.</li>
 * </ol>
 * conv is a {@link FusedConv2d} (from {@link BatchNormFolding}) or a plain {@link Conv2d}, which
 * becomes a FusedConv2d keeping its bias or with a derived zero bias. The conv output must have one
 * reader and not be a graph output, so named outputs survive.
 */
public final class EpilogueFusion implements GraphPass {

    /** The activations a fused epilogue computes. */
    public static final Set<Activation.Kind> FUSABLE = EnumSet.of(Activation.Kind.RELU, Activation.Kind.SIGMOID,
            Activation.Kind.TANH, Activation.Kind.HSWISH, Activation.Kind.LEAKY_RELU, Activation.Kind.GELU_ERF,
            Activation.Kind.GELU_TANH);

    @Override
    public Graph apply(Graph graph, ParameterStore store) {
        return residuals(activations(graph, store), store);
    }

    private static Graph activations(Graph graph, ParameterStore store) {
        GraphIndex idx = new GraphIndex(graph);
        Map<Integer, Consumer<Rewriter>> emit = new HashMap<>();
        Set<Integer> skipped = new HashSet<>();
        for (Node n : graph.nodes()) {
            String kind;
            float alpha = 0f;
            if (n.op() instanceof Activation a && FUSABLE.contains(a.kind())) {
                kind = a.kind().name();
                alpha = a.alpha();
            } else if (n.op() instanceof PRelu) {
                kind = FusedConv2d.PRELU;
            } else {
                continue;
            }
            Value x = n.input(0);
            Node conv = idx.producer(x);
            if (conv == null || !idx.soleUse(x) || !fusable(conv, false)) {
                continue;
            }
            if (kind.equals(FusedConv2d.PRELU) && !n.input(1).type().equals(TensorType.f32(x.type().dims()[1]))) {
                continue;
            }
            String act = kind;
            float al = alpha;
            skipped.add(idx.position(conv));
            emit.put(idx.position(n), r -> {
                List<Value> ins = fusedInputs(r, store, conv);
                FusedConv2d op = asFused(conv).withActivation(act, al);
                if (op.isPrelu()) {
                    ins.add(r.map(n.input(1)));
                }
                r.replace(n.output(), r.add(op, n.name(), ins.toArray(Value[]::new)));
            });
        }
        return Rewriter.rebuild(graph, emit, skipped);
    }

    private static Graph residuals(Graph graph, ParameterStore store) {
        GraphIndex idx = new GraphIndex(graph);
        Map<Integer, Consumer<Rewriter>> emit = new HashMap<>();
        Set<Integer> skipped = new HashSet<>();
        for (Node add : graph.nodes()) {
            if (!(add.op() instanceof Binary b) || b.kind() != Binary.Kind.ADD) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                Value y = add.input(side);
                Value other = add.input(1 - side);
                Node conv = idx.producer(y);
                if (conv == null || !idx.soleUse(y) || !fusable(conv, true)
                        || !other.type().equals(y.type()) || !add.output().type().equals(y.type())
                        || !idx.availableBefore(other, conv) || skipped.contains(idx.position(conv))) {
                    continue;
                }
                skipped.add(idx.position(conv));
                emit.put(idx.position(add), r -> {
                    List<Value> ins = fusedInputs(r, store, conv);
                    ins.add(r.map(other));
                    r.replace(add.output(), r.add(asFused(conv).withResidual(), add.name(), ins.toArray(Value[]::new)));
                });
                break;
            }
        }
        return Rewriter.rebuild(graph, emit, skipped);
    }

    /** Whether a node is a convolution that can take an activation (or, for a residual, an add) into its epilogue. */
    private static boolean fusable(Node conv, boolean forResidual) {
        return switch (conv.op()) {
            case FusedConv2d f -> !f.residual() && (forResidual || f.activation() == null);
            case Conv2d c -> c.bias() || conv.input(1).kind() == Value.Kind.PARAMETER;
            default -> false;
        };
    }

    private static FusedConv2d asFused(Node conv) {
        return conv.op() instanceof FusedConv2d f ? f : FusedConv2d.of((Conv2d) conv.op());
    }

    /** The fused form's inputs so far (mapped): x, weight, bias and, if it has one, the PReLU slopes. */
    private static List<Value> fusedInputs(Rewriter r, ParameterStore store, Node conv) {
        List<Value> ins = new ArrayList<>(List.of(r.map(conv.inputs())));
        if (conv.op() instanceof Conv2d c && !c.bias()) {
            Value w = conv.input(1);
            int out = w.type().dims()[0];
            ins.add(Derived.parameter(r, store, w.name(), "zero-bias", List.of(w.name()), "", Shape.of(out),
                    ts -> Tensor.zeros(Shape.of(out))));
        }
        return ins;
    }
}
