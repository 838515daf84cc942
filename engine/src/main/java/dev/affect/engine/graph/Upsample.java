package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Nearest-neighbour upsampling of NCHW by integer factors (torch's interpolate(mode='nearest')). */
public record Upsample(int scaleH, int scaleW) implements CanonicalOp {

    public Upsample {
        Op.require(scaleH > 0 && scaleW > 0, "upsample factors must be positive");
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Shape x = inputs.get(0);
        Op.require(x.rank() == 4, "upsample input must be NCHW, got " + x);
        return List.of(Shape.of(x.dim(0), x.dim(1), x.dim(2) * scaleH, x.dim(3) * scaleW));
    }

    @Override
    public String describe() {
        return "upsample" + scaleH + "x" + scaleW;
    }
}
