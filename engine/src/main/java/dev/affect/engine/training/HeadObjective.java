package dev.affect.engine.training;

import dev.affect.engine.model.heads.HeadTrainingGraphs;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.loss.BceWithLogitsLoss;
import dev.affect.engine.training.loss.CccLoss;
import dev.affect.engine.training.loss.CrossEntropyLoss;
import dev.affect.engine.training.loss.LossValue;
import java.util.List;
import java.util.Map;

/**
 * The loss of a head graph ({@link HeadTrainingGraphs}) for its task: VA the CCC loss on the tanh
 * values ({@value HeadTrainingGraphs#VALUE}), EXPR cross-entropy and AU BCE-with-logits on the task
 * layer's output ({@value HeadTrainingGraphs#RAW}).
 */
public final class HeadObjective implements Objective<FrameTargets> {
    private final Task task;

    private HeadObjective(Task task) {
        this.task = task;
    }

    public static HeadObjective forTask(Task task) {
        return new HeadObjective(task);
    }

    public Task task() {
        return task;
    }

    @Override
    public List<String> seededOutputs() {
        return List.of(output());
    }

    private String output() {
        return task == Task.VA ? HeadTrainingGraphs.VALUE : HeadTrainingGraphs.RAW;
    }

    @Override
    public ObjectiveValue evaluate(Map<String, Tensor> outputs, FrameTargets targets) {
        Tensor out = outputs.get(output());
        if (out == null) {
            throw new IllegalArgumentException("the forward pass has no output '" + output() + "' for the " + task + " loss");
        }
        int columns = task.outputSize();
        float[] values = out.toFloatArray();
        int frames = values.length / columns;
        LossValue v = switch (task) {
            case VA -> CccLoss.compute(values, labels(targets, frames * columns).toFloatArray(), columns, targets.maskFor(frames));
            case EXPR -> CrossEntropyLoss.compute(values, labels(targets, frames).toLongArray(), columns, targets.maskFor(frames));
            case AU -> BceWithLogitsLoss.compute(values, labels(targets, frames * columns).toFloatArray(), columns,
                    targets.maskFor(frames));
        };
        return new ObjectiveValue(v.value(), v.frames(), Map.of(output(), v.gradient()));
    }

    private Tensor labels(FrameTargets targets, long expected) {
        Tensor labels = targets.labels();
        if (labels.numel() != expected) {
            throw new IllegalArgumentException(task + " labels have " + labels.numel() + " values " + labels.shape()
                    + ", the batch needs " + expected);
        }
        return labels;
    }
}
