package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only bridge until DDAMFN is built on the graph IR: turns a fused graph of the old IR (weights
 * as op fields) into the new one (weights as parameters in a store, epilogues as FusedConv2d), so
 * that the new executables can be checked and timed against the old plans on the real model.
 */
final class OldGraphConverter {
    private OldGraphConverter() {
    }

    static Graph convert(dev.affect.engine.backend.Graph old, String input, int channels, int h, int w, ParameterStore store) {
        GraphBuilder g = new GraphBuilder();
        Map<Integer, Value> values = new HashMap<>();
        values.put(old.input(input).id(), g.input(input, TensorType.batched(DType.F32, channels, h, w)));
        int[] counter = {0};
        for (dev.affect.engine.backend.Graph.Node n : old.nodes()) {
            String name = n.output().name();
            Value x = values.get(n.inputs().get(0).id());
            Value y = switch (n.op()) {
                case dev.affect.engine.backend.Conv2d c -> {
                    Value wt = param(g, store, name + ".w" + counter[0]++, c.weight());
                    dev.affect.engine.backend.Activation act = c.activation();
                    if (act == null && !c.residual()) {
                        yield c.bias() == null
                                ? g.add(new Conv2d(c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(), false), name, x, wt)
                                : g.add(new Conv2d(c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(), true), name, x, wt,
                                        param(g, store, name + ".b" + counter[0]++, c.bias()));
                    }
                    Tensor bias = c.bias() != null ? c.bias() : Tensor.zeros(Shape.of(c.outChannels()));
                    String kind = act == null ? null : act.kind() == dev.affect.engine.backend.Activation.Kind.PRELU
                            ? FusedConv2d.PRELU : act.kind().name();
                    FusedConv2d op = new FusedConv2d(c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(), kind, 0f, c.residual());
                    java.util.List<Value> ins = new java.util.ArrayList<>(java.util.List.of(x, wt,
                            param(g, store, name + ".b" + counter[0]++, bias)));
                    if (op.isPrelu()) {
                        ins.add(param(g, store, name + ".slope" + counter[0]++, act.slope()));
                    }
                    if (c.residual()) {
                        ins.add(values.get(n.inputs().get(1).id()));
                    }
                    yield g.add(op, name, ins.toArray(Value[]::new));
                }
                case dev.affect.engine.backend.BatchNorm b -> g.add(new BatchNorm(b.eps()), name, x,
                        param(g, store, name + ".mean" + counter[0]++, b.mean()), param(g, store, name + ".var" + counter[0]++, b.variance()),
                        param(g, store, name + ".weight" + counter[0]++, b.weight()), param(g, store, name + ".bias" + counter[0]++, b.bias()));
                case dev.affect.engine.backend.Activation a -> switch (a.kind()) {
                    case RELU -> g.add(Activation.of(Activation.Kind.RELU), name, x);
                    case SIGMOID -> g.add(Activation.of(Activation.Kind.SIGMOID), name, x);
                    case HSWISH -> g.add(Activation.of(Activation.Kind.HSWISH), name, x);
                    case PRELU -> g.add(new PRelu(), name, x, param(g, store, name + ".slope" + counter[0]++, a.slope()));
                };
                case dev.affect.engine.backend.Binary b -> g.add(new Binary(Binary.Kind.valueOf(b.kind().name())), name, x,
                        values.get(n.inputs().get(1).id()));
                case dev.affect.engine.backend.Mean m -> g.add(new Mean(m.axis()), name, x);
                case dev.affect.engine.backend.Linear l -> l.bias() == null
                        ? g.add(new Linear(false), name, x, param(g, store, name + ".w" + counter[0]++, l.weight()))
                        : g.add(new Linear(true), name, x, param(g, store, name + ".w" + counter[0]++, l.weight()),
                                param(g, store, name + ".b" + counter[0]++, l.bias()));
                case dev.affect.engine.backend.Flatten f -> g.add(Reshape.of(0, -1), name, x);
            };
            values.put(n.output().id(), y);
        }
        old.outputs().forEach((name, v) -> g.output(name, values.get(v.id())));
        return g.build();
    }

    private static Value param(GraphBuilder g, ParameterStore store, String name, Tensor t) {
        store.put(name, t);
        return g.parameter(name, t.shape());
    }
}
