package dev.affect.engine.model;

import dev.affect.engine.nn.MixDepthWise;
import java.util.List;

/** The MixedFeatureNet backbone as DDAMNet keeps it: features.0 .. features.8 (ddamfn.md section 2). */
final class MixedFeatureNetStages {
    private MixedFeatureNetStages() {
    }

    /** One Mix_Depth_Wise stage: a transition block or a stack of residual blocks. */
    record MixStage(int index, int in, int out, int blocks, MixDepthWise block) {
        boolean stacked() {
            return blocks > 0;
        }
    }

    static final List<MixStage> MIX = List.of(
            new MixStage(2, 64, 64, 0, new MixDepthWise(128, new int[] {3, 5, 7}, new int[] {64, 32, 32}, 2, false)),
            new MixStage(3, 64, 64, 9, new MixDepthWise(128, new int[] {3, 5}, new int[] {96, 32}, 1, true)),
            new MixStage(4, 64, 128, 0, new MixDepthWise(256, new int[] {3, 5, 7}, new int[] {128, 64, 64}, 2, false)),
            new MixStage(5, 128, 128, 16, new MixDepthWise(256, new int[] {3, 5}, new int[] {192, 64}, 1, true)),
            new MixStage(6, 128, 256, 0, new MixDepthWise(1024, new int[] {3, 5, 7, 9}, new int[] {256, 256, 256, 256}, 2, false)),
            new MixStage(7, 256, 256, 6, new MixDepthWise(512, new int[] {3, 5, 7}, new int[] {172, 170, 170}, 1, true)));

    static String blockPrefix(MixStage s, int block) {
        return s.stacked() ? "features." + s.index() + ".model." + block : "features." + s.index();
    }
}
