package dev.affect.engine.training;

import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.loss.ContrastiveLoss;
import dev.affect.engine.training.loss.LossValue;
import java.util.List;
import java.util.Map;

/** The contrastive loss on a graph output of projected image embeddings (by default {@link ProjectionGraph#OUTPUT}). */
public final class ContrastiveObjective implements Objective<ContrastiveTargets> {
    private final ContrastiveLoss loss;
    private final String output;

    public ContrastiveObjective(ContrastiveLoss loss, String output) {
        this.loss = loss;
        this.output = output;
    }

    /** On {@link ProjectionGraph}'s output at temperature 1. */
    public static ContrastiveObjective of(ContrastiveLoss.Targets targets) {
        return new ContrastiveObjective(new ContrastiveLoss(targets, 1.0), ProjectionGraph.OUTPUT);
    }

    @Override
    public List<String> seededOutputs() {
        return List.of(output);
    }

    @Override
    public ObjectiveValue evaluate(Map<String, Tensor> outputs, ContrastiveTargets targets) {
        Tensor image = outputs.get(output);
        int width = image.shape().dim(image.shape().rank() - 1);
        int samples = Math.toIntExact(image.numel() / width);
        LossValue v = loss.compute(image.toFloatArray(), targets.text().toFloatArray(), targets.labels(), width,
                targets.maskFor(samples));
        return new ObjectiveValue(v.value(), v.frames(), Map.of(output, v.gradient()));
    }
}
