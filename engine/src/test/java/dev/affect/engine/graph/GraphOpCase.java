package dev.affect.engine.graph;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * One conformance case: a graph of one op whose activations are inputs {@code in0, in1, ...} and
 * whose weights are parameters, with the values to feed and the error bound a backend must meet.
 */
public record GraphOpCase(String name, Graph graph, Map<String, Tensor> parameters, Map<String, Tensor> inputs,
                          double tolerance) {

    /** An operand of the op: an input fed per execution, or a parameter. */
    public record Operand(String name, Tensor value, boolean parameter) {
    }

    public static Operand in(Tensor value) {
        return new Operand(null, value, false);
    }

    public static Operand param(Tensor value) {
        return new Operand(null, value, true);
    }

    /** Builds the one-op graph; every output of the op becomes a graph output out0, out1, ... */
    public static GraphOpCase of(String name, Op op, double tol, Operand... operands) {
        GraphBuilder g = new GraphBuilder();
        Map<String, Tensor> params = new LinkedHashMap<>();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        List<Value> vals = new ArrayList<>();
        for (int i = 0; i < operands.length; i++) {
            Operand o = operands[i];
            if (o.parameter()) {
                String key = "p" + i;
                params.put(key, o.value());
                vals.add(g.parameter(key, o.value().shape()));
            } else {
                String key = "in" + i;
                inputs.put(key, o.value());
                vals.add(g.input(key, TensorType.of(o.value().dtype(), o.value().shape())));
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < op.outputCount(); i++) {
            names.add("out" + i);
        }
        List<Value> outs = g.addMulti(op, names, vals.toArray(Value[]::new));
        for (int i = 0; i < outs.size(); i++) {
            g.output(names.get(i), outs.get(i));
        }
        return new GraphOpCase(name, g.build(), params, inputs, tol);
    }

    public Map<String, Shape> inputShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        inputs.forEach((k, v) -> m.put(k, v.shape()));
        return m;
    }

    public ParameterStore newStore() {
        ParameterStore s = new ParameterStore();
        parameters.forEach(s::put);
        return s;
    }

    static Tensor gaussian(Random rng, int... dims) {
        return fill(dims, i -> (float) rng.nextGaussian());
    }

    static Tensor uniform(Random rng, float lo, float hi, int... dims) {
        return fill(dims, i -> lo + (hi - lo) * rng.nextFloat());
    }

    static Tensor fill(int[] dims, Function<Integer, Float> value) {
        Shape s = Shape.of(dims);
        float[] v = new float[(int) s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = value.apply(i);
        }
        return Tensor.of(v, dims);
    }

    static Tensor indices(DType dtype, long[] values) {
        Tensor t = Tensor.zeros(dtype, Shape.of(values.length));
        for (int i = 0; i < values.length; i++) {
            t.setFloat(i, values[i]);
        }
        return t;
    }

    @Override
    public String toString() {
        return name;
    }
}
