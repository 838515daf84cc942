package dev.affect.engine.graph;

import dev.affect.engine.tensor.Shape;
import java.util.List;

/**
 * Nearest-neighbour upsampling of NCHW (torch's {@code interpolate(mode='nearest')}), either by integer
 * factors ({@code scaleH, scaleW > 0}, output size 0) or to an explicit output size ({@code outH, outW > 0},
 * factors 0). With a size, source index = min(floor(dst * (in / out as float32)), in - 1) per axis, PyTorch
 * 1.13's rule, which also holds for ratios that are not integers (8 -> 15 rows in RetinaFace's FPN).
 */
public record Upsample(int scaleH, int scaleW, int outH, int outW) implements CanonicalOp {

    public Upsample {
        boolean byFactor = scaleH > 0 && scaleW > 0 && outH == 0 && outW == 0;
        boolean bySize = outH > 0 && outW > 0 && scaleH == 0 && scaleW == 0;
        Op.require(byFactor || bySize, "upsample takes positive factors or a positive output size, got factors "
                + scaleH + "x" + scaleW + ", size " + outH + "x" + outW);
    }

    /** By integer factors. */
    public Upsample(int scaleH, int scaleW) {
        this(scaleH, scaleW, 0, 0);
    }

    /** To an explicit output height and width. */
    public static Upsample toSize(int outH, int outW) {
        return new Upsample(0, 0, outH, outW);
    }

    /** Whether the output size is explicit (rather than the input's times integer factors). */
    public boolean sized() {
        return outH > 0;
    }

    /** The source index along an axis of {@code in} elements for output index {@code dst} of {@code out} (torch's float32 rule). */
    public static int sourceIndex(int dst, int in, int out) {
        if (out == in) {
            return dst;
        }
        if (out == 2 * in) {
            return dst >> 1; // torch's shortcut; the float rule agrees
        }
        float scale = (float) in / out;
        return Math.min((int) Math.floor(dst * scale), in - 1);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Op.arity(this, inputs, 1, 1);
        Shape x = inputs.get(0);
        Op.require(x.rank() == 4, "upsample input must be NCHW, got " + x);
        if (sized()) {
            return List.of(Shape.of(x.dim(0), x.dim(1), outH, outW));
        }
        return List.of(Shape.of(x.dim(0), x.dim(1), x.dim(2) * scaleH, x.dim(3) * scaleW));
    }

    @Override
    public String describe() {
        return sized() ? "upsample->" + outH + "x" + outW : "upsample" + scaleH + "x" + scaleW;
    }
}
