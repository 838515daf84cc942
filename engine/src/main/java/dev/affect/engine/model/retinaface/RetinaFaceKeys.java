package dev.affect.engine.model.retinaface;

import dev.affect.engine.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every state_dict key of RetinaFace(cfg_mnet) with its shape, in registration order: 300 keys, 47
 * of them BatchNorm {@code num_batches_tracked} counters that forward() never reads.
 */
public final class RetinaFaceKeys {
    private RetinaFaceKeys() {
    }

    public static Map<String, Shape> expected() {
        Map<String, Shape> k = new LinkedHashMap<>();
        convBn(k, "body.stage1.0", 8, 3, 3);
        int[][] stage1 = {{8, 16}, {16, 32}, {32, 32}, {32, 64}, {64, 64}};
        for (int i = 0; i < stage1.length; i++) {
            dw(k, "body.stage1." + (i + 1), stage1[i][0], stage1[i][1]);
        }
        dw(k, "body.stage2.0", 64, 128);
        for (int i = 1; i <= 5; i++) {
            dw(k, "body.stage2." + i, 128, 128);
        }
        dw(k, "body.stage3.0", 128, 256);
        dw(k, "body.stage3.1", 256, 256);
        int f = RetinaFaceNetwork.FPN_CHANNELS;
        for (int i = 0; i < 3; i++) {
            convBn(k, "fpn.output" + (i + 1), f, RetinaFaceNetwork.STAGE_CHANNELS[i], 1);
        }
        convBn(k, "fpn.merge1", f, f, 3);
        convBn(k, "fpn.merge2", f, f, 3);
        for (int l = 1; l <= 3; l++) {
            String p = "ssh" + l;
            convBn(k, p + ".conv3X3", f / 2, f, 3);
            convBn(k, p + ".conv5X5_1", f / 4, f, 3);
            convBn(k, p + ".conv5X5_2", f / 4, f / 4, 3);
            convBn(k, p + ".conv7X7_2", f / 4, f / 4, 3);
            convBn(k, p + ".conv7x7_3", f / 4, f / 4, 3);
        }
        head(k, "ClassHead", 2);
        head(k, "BboxHead", 4);
        head(k, "LandmarkHead", 10);
        return k;
    }

    private static void head(Map<String, Shape> k, String name, int per) {
        int out = RetinaFaceNetwork.ANCHORS * per;
        for (int l = 0; l < 3; l++) {
            k.put(name + "." + l + ".conv1x1.weight", Shape.of(out, RetinaFaceNetwork.FPN_CHANNELS, 1, 1));
            k.put(name + "." + l + ".conv1x1.bias", Shape.of(out));
        }
    }

    private static void dw(Map<String, Shape> k, String p, int in, int out) {
        k.put(p + ".0.weight", Shape.of(in, 1, 3, 3));
        bn(k, p + ".1", in);
        k.put(p + ".3.weight", Shape.of(out, in, 1, 1));
        bn(k, p + ".4", out);
    }

    private static void convBn(Map<String, Shape> k, String p, int out, int in, int kernel) {
        k.put(p + ".0.weight", Shape.of(out, in, kernel, kernel));
        bn(k, p + ".1", out);
    }

    private static void bn(Map<String, Shape> k, String p, int c) {
        k.put(p + ".weight", Shape.of(c));
        k.put(p + ".bias", Shape.of(c));
        k.put(p + ".running_mean", Shape.of(c));
        k.put(p + ".running_var", Shape.of(c));
        k.put(p + ".num_batches_tracked", Shape.of());
    }
}
