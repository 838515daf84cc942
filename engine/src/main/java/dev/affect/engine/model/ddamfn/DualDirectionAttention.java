package dev.affect.engine.model.ddamfn;

import dev.affect.engine.graph.Value;
import java.util.List;

/**
 * DDAMNet's attention head (DDAM.py CoordAtt, ddamfn.md 3.1): learned depthwise 1x7 / 7x1 pooling
 * ({@code Linear_h} / {@code Linear_w}, conv + BN) instead of averages, then the coordinate
 * attention's concat, conv1/bn1/h_swish, split, conv2/conv3 and sigmoids. It returns the
 * attention map a_w * a_h itself, not x multiplied by it. Its {@code Linear} module is never run.
 */
final class DualDirectionAttention {
    private DualDirectionAttention() {
    }

    /** The map [N, C, H, W] for x [N, C, H, W] at prefix {@code p} (e.g. {@code cat_head0.CoordAtt}). */
    static Value apply(Layers l, String p, Value x) {
        int c = Layers.channels(x);
        int h = Layers.height(x);
        int w = Layers.width(x);
        Value xh = l.linearBlock(p + ".Linear_h", x, c, 1, w, 1, 0, 0, c); // [N, C, H, 1]
        Value xw = l.linearBlock(p + ".Linear_w", x, c, h, 1, 1, 0, 0, c); // [N, C, 1, W]
        xw = l.swapHw(p + ".Linear_w.t", xw); // [N, C, W, 1]
        List<Value> parts = CoordAttention.squeezeAndSplit(l, p, xh, xw, h, w);
        Value[] a = CoordAttention.excite(l, p, parts, c);
        return l.mul(p, a[1], a[0]);
    }
}
