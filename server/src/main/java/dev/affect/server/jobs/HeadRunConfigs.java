package dev.affect.server.jobs;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.training.data.WindowSpec;
import dev.affect.engine.training.run.LrSchedule;
import dev.affect.engine.training.run.OptimizerKind;
import dev.affect.engine.training.run.RunConfig;
import java.util.Map;

/**
 * A job's spec as the head training run's config. The run checks its config field by field; its
 * complaints are restated here under the request's field names ({@code lr} is
 * {@code spec.hyper.learning_rate}), so a client learns which of its fields to fix.
 */
final class HeadRunConfigs {
    /** The run's field names and the request's. */
    private static final Map<String, String> REQUEST_FIELD = Map.ofEntries(
            Map.entry("task", "spec.task"),
            Map.entry("head", "spec.head"),
            Map.entry("lr", "spec.hyper.learning_rate"),
            Map.entry("weight_decay", "spec.hyper.weight_decay"),
            Map.entry("epochs", "spec.hyper.epochs"),
            Map.entry("batch", "spec.hyper.batch_size"),
            Map.entry("window", "spec.hyper.window"),
            Map.entry("stride", "spec.hyper.window"),
            Map.entry("metric", "spec.best_metric"),
            Map.entry("keep_best", "spec.keep_best"),
            Map.entry("validation_split", "spec.validation_split"));

    private HeadRunConfigs() {
    }

    /**
     * The run config of a job: Adam (AdamW when there is weight decay) at a constant rate, validation
     * on the root's own split or on the fraction of its training videos the spec holds out. FC and
     * LSTM heads use the paper's window stride (EXPR windows overlap by half); a full fine-tune
     * trains the whole DDAMFN on single EXPR frames.
     *
     * @throws InvalidInputException naming the request field
     */
    static RunConfig of(JobSpec spec) {
        AbawTask task = JobSpec.abawTask(spec.task());
        Hyper h = spec.hyper();
        try {
            boolean backbone = spec.head() == HeadKind.FULL_FINE_TUNE;
            WindowSpec window = backbone ? new WindowSpec(1, 1)
                    : new WindowSpec(h.window(), task == AbawTask.EXPR ? Math.max(1, h.window() / 2) : h.window());
            OptimizerKind optimizer = h.weightDecay() > 0 ? OptimizerKind.ADAMW : OptimizerKind.ADAM;
            return new RunConfig(task, engineKind(spec.head()), optimizer, h.learningRate(), h.weightDecay(),
                    RunConfig.DEFAULT_RHO, LrSchedule.constant(), h.epochs(), h.batchSize(), window, h.seed(),
                    AbawSplit.VALIDATION, spec.validationSplit(), spec.metric(), spec.keepBest());
        } catch (InvalidInputException e) {
            String field = REQUEST_FIELD.getOrDefault(e.field(), "spec." + e.field());
            throw new InvalidInputException(field, e.reason(), e);
        }
    }

    private static dev.affect.engine.training.run.HeadKind engineKind(HeadKind head) {
        return switch (head) {
            case FC -> dev.affect.engine.training.run.HeadKind.FC;
            case LSTM -> dev.affect.engine.training.run.HeadKind.LSTM;
            case FULL_FINE_TUNE -> dev.affect.engine.training.run.HeadKind.BACKBONE;
        };
    }
}
