package dev.affect.engine.graph.autograd;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of a graph into a backward graph of {@link dev.affect.engine.graph.GradientOp}
 * nodes (one rule per canonical op, {@link GradientRules}), as torch.autograd computes it: gradients
 * of values read by several nodes are summed, and only values that both depend on a differentiated
 * name and lead to a seeded output get a gradient.
 */
public final class Autograd {
    public static final String GRAD_PREFIX = "grad:";
    public static final String SAVED_PREFIX = "saved:";

    private Autograd() {
    }

    /** The name of the gradient of a value, parameter, input or output. */
    public static String grad(String name) {
        return GRAD_PREFIX + name;
    }

    /**
     * Differentiates {@code graph} with respect to {@code wrt} (parameter or input names), seeded at
     * the named outputs.
     *
     * @throws IllegalArgumentException when a name is unknown, no gradient reaches a name in
     *         {@code wrt}, or the gradient must cross an op that has no rule
     */
    public static TrainingGraphs differentiate(Graph graph, List<String> seededOutputs, Collection<String> wrt) {
        Op.require(!seededOutputs.isEmpty(), "nothing to differentiate: no seeded output");
        Map<String, Value> targets = new LinkedHashMap<>();
        for (String name : wrt) {
            targets.put(name, find(graph, name));
        }
        Set<Integer> requiresGrad = requiringGrad(graph, targets.values());
        return new Differentiation(graph, requiresGrad).run(seededOutputs, targets);
    }

    /**
     * The parameters that a gradient from the seeded outputs reaches (weights, not running
     * statistics), in graph order: what full fine-tuning trains.
     */
    public static List<String> trainableParameters(Graph graph, List<String> seededOutputs) {
        Set<Integer> reaching = new HashSet<>();
        seededOutputs.forEach(o -> reaching.add(graph.output(o).id()));
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            boolean live = false;
            for (int k = 0; k < n.outputs().size(); k++) {
                live |= reaching.contains(n.outputs().get(k).id()) && GradientRules.differentiableOutput(n.op(), k);
            }
            if (live) {
                for (int k = 0; k < n.inputs().size(); k++) {
                    if (GradientRules.differentiableInput(n.op(), k)) {
                        reaching.add(n.inputs().get(k).id());
                    }
                }
            }
        }
        return graph.parameters().stream().filter(p -> reaching.contains(p.id())).map(Value::name).toList();
    }

    private static Value find(Graph graph, String name) {
        for (Value p : graph.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        for (Value in : graph.inputs()) {
            if (in.name().equals(name)) {
                return in;
            }
        }
        throw new IllegalArgumentException("cannot differentiate with respect to '" + name
                + "': it is neither a parameter nor an input of the graph");
    }

    /** Values that depend differentiably on one of the targets. */
    private static Set<Integer> requiringGrad(Graph graph, Collection<Value> targets) {
        Set<Integer> ids = new HashSet<>();
        targets.forEach(v -> ids.add(v.id()));
        for (Node n : graph.nodes()) {
            boolean any = false;
            for (int k = 0; k < n.inputs().size(); k++) {
                any |= ids.contains(n.inputs().get(k).id()) && GradientRules.differentiableInput(n.op(), k);
            }
            if (any) {
                for (int k = 0; k < n.outputs().size(); k++) {
                    if (GradientRules.differentiableOutput(n.op(), k)) {
                        ids.add(n.outputs().get(k).id());
                    }
                }
            }
        }
        return ids;
    }

    /** One backward construction: the builder, the forward values it imports and the gradients so far. */
    static final class Differentiation {
        private final Graph graph;
        private final Set<Integer> requiresGrad;
        private final GraphBuilder b = new GraphBuilder();
        private final Map<Integer, Value> imported = new HashMap<>();
        private final Map<String, Value> saved = new LinkedHashMap<>();
        private final Set<String> usedInputs = new LinkedHashSet<>();
        private final Map<Integer, Value> grads = new HashMap<>();

        Differentiation(Graph graph, Set<Integer> requiresGrad) {
            this.graph = graph;
            this.requiresGrad = requiresGrad;
        }

        TrainingGraphs run(List<String> seededOutputs, Map<String, Value> targets) {
            for (String o : seededOutputs) {
                Value v = graph.output(o);
                Op.require(requiresGrad.contains(v.id()), "output '" + o + "' does not depend on "
                        + targets.keySet() + ": nothing to differentiate");
                accumulate(v, b.input(grad(o), v.type()));
            }
            List<Node> nodes = graph.nodes();
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                if (n.outputs().stream().anyMatch(v -> grads.containsKey(v.id()))
                        && n.inputs().stream().anyMatch(v -> requiresGrad.contains(v.id()))) {
                    GradientRules.backward(n, this);
                }
            }
            for (Map.Entry<String, Value> t : targets.entrySet()) {
                Value g = grads.get(t.getValue().id());
                Op.require(g != null, "no gradient reaches '" + t.getKey() + "' from " + seededOutputs);
                b.output(grad(t.getKey()), g);
            }
            Graph backward = b.build();
            Graph forward = graph.withExtraOutputs(saved);
            return new TrainingGraphs(forward, backward, List.copyOf(saved.keySet()), List.copyOf(usedInputs));
        }

        boolean requiresGrad(Value forwardValue) {
            return requiresGrad.contains(forwardValue.id());
        }

        /** The gradient accumulated for a forward value, or null. */
        Value gradOf(Value forwardValue) {
            return grads.get(forwardValue.id());
        }

        /** Adds a contribution to a forward value's gradient (ignored when it needs none). */
        void accumulate(Value forwardValue, Value gradient) {
            if (!requiresGrad.contains(forwardValue.id())) {
                return;
            }
            Value existing = grads.get(forwardValue.id());
            grads.put(forwardValue.id(), existing == null ? gradient
                    : b.add(dev.affect.engine.graph.Binary.add(), grad(forwardValue.name()) + ".sum", existing, gradient));
        }

        /** A forward value as the backward graph sees it: a parameter, an input, or a saved activation. */
        Value forward(Value v) {
            Value known = imported.get(v.id());
            if (known != null) {
                return known;
            }
            Value mine = switch (v.kind()) {
                case PARAMETER -> b.parameter(v.name(), v.type().shape());
                case INPUT, STATE -> {
                    usedInputs.add(v.name());
                    yield b.input(v.name(), v.type());
                }
                case TEMP -> {
                    String name = uniqueSavedName(v);
                    saved.put(name, v);
                    yield b.input(name, v.type());
                }
            };
            imported.put(v.id(), mine);
            return mine;
        }

        private String uniqueSavedName(Value v) {
            String name = SAVED_PREFIX + v.name();
            return saved.containsKey(name) ? name + "#" + v.id() : name;
        }

        List<Value> add(Op op, String name, Value... in) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < op.outputCount(); i++) {
                names.add(op.outputCount() == 1 ? name : name + "." + i);
            }
            return b.addMulti(op, names, in);
        }
    }
}
