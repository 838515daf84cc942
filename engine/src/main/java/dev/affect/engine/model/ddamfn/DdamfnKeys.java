package dev.affect.engine.model.ddamfn;

import dev.affect.engine.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every state_dict key of DDAMNet with its shape, in registration order, including the modules
 * forward() never runs (they are in every checkpoint, so they are expected, then ignored).
 */
public final class DdamfnKeys {
    private DdamfnKeys() {
    }

    public static Map<String, Shape> expected(DdamfnConfig cfg) {
        Map<String, Shape> k = new LinkedHashMap<>();
        convBlock(k, "features.0", 64, 3, 3, 3, true);
        convBlock(k, "features.1", 64, 1, 3, 3, true);
        for (DdamfnNetwork.MixStage s : DdamfnNetwork.MIX) {
            for (int b = 0; b < Math.max(1, s.blocks()); b++) {
                mixBlock(k, s.blockPrefix(b), b == 0 && !s.stacked() ? s.in() : s.out(), s.out(),
                        s.block().expansion(), s.block().kernels(), s.block().splits());
            }
        }
        convBlock(k, "features.8", 512, 256, 1, 1, true);
        for (int h = 0; h < cfg.numHead(); h++) {
            String p = "cat_head" + h + ".CoordAtt";
            convBlock(k, p + ".Linear_h", 512, 1, 1, 7, false);
            convBlock(k, p + ".Linear_w", 512, 1, 7, 1, false);
            coordAtt(k, p, 512, 16);
            convBlock(k, p + ".Linear", 512, 1, 7, 7, false);
        }
        convBlock(k, "Linear", 512, 1, 7, 7, false);
        k.put("fc.weight", Shape.of(cfg.numClass(), 512));
        k.put("fc.bias", Shape.of(cfg.numClass()));
        bn(k, "bn", cfg.numClass());
        return k;
    }

    private static void mixBlock(Map<String, Shape> k, String p, int in, int out, int g, int[] kernels, int[] splits) {
        convBlock(k, p + ".conv", g, in, 1, 1, true);
        for (int j = 0; j < kernels.length; j++) {
            k.put(p + ".conv_dw.mixed_depthwise_conv." + j + ".weight", Shape.of(splits[j], 1, kernels[j], kernels[j]));
        }
        bn(k, p + ".conv_dw.bn", g);
        k.put(p + ".conv_dw.prelu.weight", Shape.of(g));
        coordAtt(k, p + ".CA", g, Math.max(8, g / 32));
        convBlock(k, p + ".project", out, g, 1, 1, false);
    }

    private static void coordAtt(Map<String, Shape> k, String p, int c, int mip) {
        k.put(p + ".conv1.weight", Shape.of(mip, c, 1, 1));
        k.put(p + ".conv1.bias", Shape.of(mip));
        bn(k, p + ".bn1", mip);
        k.put(p + ".conv2.weight", Shape.of(c, mip, 1, 1));
        k.put(p + ".conv2.bias", Shape.of(c));
        k.put(p + ".conv3.weight", Shape.of(c, mip, 1, 1));
        k.put(p + ".conv3.bias", Shape.of(c));
    }

    private static void convBlock(Map<String, Shape> k, String p, int out, int inPerGroup, int kh, int kw, boolean prelu) {
        k.put(p + ".conv.weight", Shape.of(out, inPerGroup, kh, kw));
        bn(k, p + ".bn", out);
        if (prelu) {
            k.put(p + ".prelu.weight", Shape.of(out));
        }
    }

    private static void bn(Map<String, Shape> k, String p, int c) {
        k.put(p + ".weight", Shape.of(c));
        k.put(p + ".bias", Shape.of(c));
        k.put(p + ".running_mean", Shape.of(c));
        k.put(p + ".running_var", Shape.of(c));
        k.put(p + ".num_batches_tracked", Shape.of());
    }
}
