package dev.affect.engine.model.demo;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnKeys;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DDAMFN state_dict whose activations keep their scale through the network. The checkpoint's
 * BatchNorms run on their running statistics, which are set to the identity (mean 0, var 1,
 * gamma 1, beta 0), so the scale is the convolutions' alone: Kaiming normal (std sqrt(2 / fan_in))
 * roughly preserves the mean square through conv + PReLU. The sigmoid gates of a transition block's
 * coordinate attention about halve the root mean square, so the block's projection BatchNorm has
 * gamma {@value #GATE_GAIN} to undo it. (Measured, not derived: DemoPipelineTest prints every
 * stage's root mean square, which stays within 1..3 from input to embedding.)
 */
final class DemoDdamfn {
    /** The gamma that undoes the sigmoid gates' halving of the root mean square. */
    static final float GATE_GAIN = 2f;
    /** The transition blocks' projection BatchNorms, right after their gates. */
    private static final Pattern AFTER_GATE = Pattern.compile("features\\.\\d+\\.project\\.bn\\.weight");
    /**
     * A residual block's projection gamma is further scaled by 1/sqrt(blocks), so a stack's variance
     * grows by (1 + 1/blocks) per block, about e over the stack, instead of doubling per block.
     */
    private static final Pattern RESIDUAL_PROJECTION_GAMMA =
            Pattern.compile("features\\.(\\d+)\\.model\\.(\\d+)\\.project\\.bn\\.weight");
    private static final Pattern BLOCK = Pattern.compile("features\\.(\\d+)\\.model\\.(\\d+)\\..*");
    private static final Pattern BATCH_NORM = Pattern.compile("(?:.*\\.)?bn\\d*\\.(weight|bias|running_mean|running_var|num_batches_tracked)");
    /** PyTorch's nn.PReLU default slope. */
    private static final float PRELU_SLOPE = 0.25f;

    private DemoDdamfn() {
    }

    static StateDict create(DdamfnConfig config, long seed) {
        Map<String, Shape> keys = DdamfnKeys.expected(config);
        Map<Integer, Integer> stackSizes = stackSizes(keys);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        keys.forEach((name, shape) -> tensors.put(name, tensor(name, shape, seed, stackSizes)));
        return new StateDict(tensors);
    }

    private static Tensor tensor(String name, Shape shape, long seed, Map<Integer, Integer> stackSizes) {
        Matcher residual = RESIDUAL_PROJECTION_GAMMA.matcher(name);
        if (residual.matches()) {
            int blocks = stackSizes.get(Integer.parseInt(residual.group(1)));
            return DemoTensors.constant(shape, (float) (1.0 / Math.sqrt(blocks)));
        }
        if (AFTER_GATE.matcher(name).matches()) {
            return DemoTensors.constant(shape, GATE_GAIN);
        }
        Matcher bn = BATCH_NORM.matcher(name);
        if (bn.matches()) {
            return switch (bn.group(1)) {
                case "weight", "running_var" -> DemoTensors.constant(shape, 1f);
                case "num_batches_tracked" -> Tensor.ofLongs(new long[] {0}); // torch stores an int64 scalar
                default -> DemoTensors.constant(shape, 0f);
            };
        }
        if (name.endsWith(".prelu.weight")) {
            return DemoTensors.constant(shape, PRELU_SLOPE);
        }
        if (name.endsWith(".bias")) {
            return DemoTensors.constant(shape, 0f);
        }
        if (shape.rank() == 4) {
            int fanIn = shape.dim(1) * shape.dim(2) * shape.dim(3);
            return DemoTensors.normal(shape, Math.sqrt(2.0 / fanIn), seed, name);
        }
        if (shape.rank() == 2) { // fc: logits about as large as the embedding's entries
            return DemoTensors.normal(shape, Math.sqrt(1.0 / shape.dim(1)), seed, name);
        }
        throw new IllegalStateException("no demo initialisation for DDAMFN key " + name + " " + shape);
    }

    /** Residual blocks per stacked stage (features.N.model.B), read from the keys. */
    private static Map<Integer, Integer> stackSizes(Map<String, Shape> keys) {
        Map<Integer, Integer> sizes = new HashMap<>();
        for (String name : keys.keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.matches()) {
                sizes.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + 1, Math::max);
            }
        }
        return sizes;
    }
}
