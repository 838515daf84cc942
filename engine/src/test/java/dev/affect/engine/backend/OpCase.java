package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;

/** One conformance case: a small graph, random inputs for it, and the error bound it must meet. */
record OpCase(String name, Graph graph, List<Shape> inputShapes, double tolerance) {

    static Tensor random(Random rng, Shape s) {
        float[] v = new float[(int) s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Tensor.of(v, s.dims());
    }

    static Tensor uniform(Random rng, Shape s, float lo, float hi) {
        float[] v = new float[(int) s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextFloat();
        }
        return Tensor.of(v, s.dims());
    }

    /** A graph of one op over fresh inputs named in0, in1. */
    static OpCase single(String name, Op op, double tol, Shape... inputs) {
        GraphBuilder g = new GraphBuilder();
        Graph.Value[] in = new Graph.Value[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            in[i] = g.input("in" + i);
        }
        g.output("out", g.add(op, "op", in));
        return new OpCase(name, g.build(), List.of(inputs), tol);
    }

    @Override
    public String toString() {
        return name;
    }
}
