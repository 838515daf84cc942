package dev.affect.engine.nn;

import dev.affect.engine.backend.Binary;
import dev.affect.engine.backend.Graph.Value;
import dev.affect.engine.backend.GraphBuilder;

/**
 * The inverted-residual block of MixedFeatureNet: 1x1 expand (Conv_block) -> MDConv -> CoordAtt ->
 * 1x1 project (Linear_block), plus the input when residual.
 *
 * @param expansion G, the width of the expanded representation
 */
public record MixDepthWise(int expansion, int[] kernels, int[] splits, int stride, boolean residual) {

    public Value apply(GraphBuilder g, WeightSource w, String name, Value x) {
        Value expanded = ConvBn.convBlock(g, w.prefixed("conv"), name + ".conv", x, 1, 0, 1);
        Value mixed = MixedDepthwiseConv.apply(g, w.prefixed("conv_dw"), name + ".conv_dw", expanded, kernels, splits, stride);
        Value attended = CoordinateAttention.backbone(g, w.prefixed("CA"), name + ".CA", mixed);
        Value projected = ConvBn.linearBlock(g, w.prefixed("project"), name + ".project", attended, 1, 1, 0, 0, 1);
        return residual ? g.add(Binary.add(), name, x, projected) : projected;
    }
}
