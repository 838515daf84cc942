package dev.affect.server.jobs;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.training.run.Metric;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything a job needs, stored with it so that a restart resumes the same job. Paths are the real
 * paths {@link DataRoots} confirmed inside a data root.
 *
 * @param backbone        the DDAMFN checkpoint
 * @param dataRoot        the ABAW data root
 * @param validationSplit the fraction of training videos held out, in [0, 1); 0 = the root's own split
 * @param keepBest        epoch checkpoints kept, best first
 * @param bestMetric      the key of a {@link Metric} of the task (e.g. {@code p_va}, {@code train_loss})
 */
public record JobSpec(Task task, HeadKind head, String backbone, String dataRoot, Hyper hyper, double validationSplit,
        int keepBest, String bestMetric, String displayName) {
    public static final int DEFAULT_KEEP_BEST = 3;
    private static final int MAX_DISPLAY_NAME = 200;

    public JobSpec {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(hyper, "hyper");
        bestMetric = Objects.requireNonNullElse(bestMetric, "");
        displayName = Objects.requireNonNullElse(displayName, "");
    }

    /** The same job on another backbone checkpoint. */
    public JobSpec withBackbone(String checkpoint) {
        return new JobSpec(task, head, checkpoint, dataRoot, hyper, validationSplit, keepBest, bestMetric, displayName);
    }

    /** The same job on another data root. */
    public JobSpec withDataRoot(String root) {
        return new JobSpec(task, head, backbone, root, hyper, validationSplit, keepBest, bestMetric, displayName);
    }

    /** The task's score metric, the one the challenge ranks by ({@code p_va}, {@code f1_expr}, {@code f1_au}). */
    public static String scoreMetric(Task task) {
        return Metric.defaultFor(abawTask(task)).key();
    }

    /** The data-set side's name of a task. */
    public static AbawTask abawTask(Task task) {
        return AbawTask.valueOf(task.name());
    }

    /** The metric that ranks the job's checkpoints (set once {@link #normalized()}). */
    public Metric metric() {
        return Metric.parse(bestMetric);
    }

    /**
     * Defaults filled in and every value checked; errors name the request field ({@code spec.*}).
     *
     * @throws InvalidInputException naming the field
     */
    public JobSpec normalized() {
        Hyper h = hyper.check("spec.hyper");
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new InvalidInputException("spec.validation_split", "must be in [0, 1), got " + validationSplit);
        }
        if (keepBest < 0) {
            throw new InvalidInputException("spec.keep_best", "must not be negative, got " + keepBest);
        }
        String metric = bestMetric.isEmpty() ? scoreMetric(task) : bestMetric;
        List<String> allowed = Arrays.stream(Metric.of(abawTask(task))).map(Metric::key).toList();
        if (!allowed.contains(metric)) {
            throw new InvalidInputException("spec.best_metric", "must be one of " + allowed + " for " + task + ", got '"
                    + metric + "'");
        }
        if (displayName.length() > MAX_DISPLAY_NAME) {
            throw new InvalidInputException("spec.display_name", "at most " + MAX_DISPLAY_NAME + " characters, got "
                    + displayName.length());
        }
        return new JobSpec(task, head, backbone, dataRoot, h, validationSplit, keepBest == 0 ? DEFAULT_KEEP_BEST : keepBest,
                metric, displayName);
    }
}
