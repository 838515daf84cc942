package dev.affect.engine.training;

import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.loss.AttentionDiversityLoss;
import dev.affect.engine.training.loss.CrossEntropyLoss;
import dev.affect.engine.training.loss.FrameMask;
import dev.affect.engine.training.loss.LossValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authors' DDAMFN training loss: {@code CE(logits, labels) + weight * AttentionLoss(head maps)},
 * weight 0.1 in their scripts, over the graph of {@code DdamfnNetwork.build(cfg, TRAINING)}. Targets
 * are int64 class labels [N]; masked images count in neither term.
 */
public final class DdamfnObjective implements Objective<FrameTargets> {
    /** The attention loss's weight in the authors' training scripts. */
    public static final double AUTHORS_ATTENTION_WEIGHT = 0.1;
    private final int classes;
    private final int heads;
    private final double attentionWeight;

    public DdamfnObjective(int classes, int heads, double attentionWeight) {
        if (classes < 1 || heads < 1 || !(attentionWeight >= 0)) {
            throw new IllegalArgumentException("DDAMFN objective needs classes >= 1, heads >= 1, weight >= 0; got "
                    + classes + ", " + heads + ", " + attentionWeight);
        }
        this.classes = classes;
        this.heads = heads;
        this.attentionWeight = attentionWeight;
    }

    /** As the authors train it: CE + 0.1 * attention loss. */
    public static DdamfnObjective authors(int classes, int heads) {
        return new DdamfnObjective(classes, heads, AUTHORS_ATTENTION_WEIGHT);
    }

    /** The logits, and the head maps when the attention term can have a gradient (two heads or more). */
    @Override
    public List<String> seededOutputs() {
        List<String> names = new ArrayList<>(List.of(DdamfnNetwork.LOGITS));
        if (attentionTerm()) {
            for (int h = 0; h < heads; h++) {
                names.add(DdamfnNetwork.head(h));
            }
        }
        return List.copyOf(names);
    }

    private boolean attentionTerm() {
        return heads > 1 && attentionWeight > 0;
    }

    @Override
    public ObjectiveValue evaluate(Map<String, Tensor> outputs, FrameTargets targets) {
        float[] logits = outputs.get(DdamfnNetwork.LOGITS).toFloatArray();
        int frames = logits.length / classes;
        FrameMask mask = targets.maskFor(frames);
        long[] labels = targets.labels().toLongArray();
        LossValue ce = CrossEntropyLoss.compute(logits, labels, classes, mask);
        Map<String, float[]> seeds = new LinkedHashMap<>();
        seeds.put(DdamfnNetwork.LOGITS, ce.gradient());
        double loss = ce.value();
        if (attentionTerm()) {
            List<float[]> maps = new ArrayList<>();
            for (int h = 0; h < heads; h++) {
                maps.add(outputs.get(DdamfnNetwork.head(h)).toFloatArray());
            }
            AttentionDiversityLoss.Value att = AttentionDiversityLoss.compute(maps, frames, mask);
            loss += attentionWeight * att.value();
            for (int h = 0; h < heads; h++) {
                float[] g = att.gradients().get(h);
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (attentionWeight * g[i]);
                }
                seeds.put(DdamfnNetwork.head(h), g);
            }
        }
        return new ObjectiveValue(loss, ce.frames(), seeds);
    }
}
