package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.training.data.WindowSpec;

/**
 * Everything that decides a head training run's result: two runs with equal configs on the same
 * embeddings end with bit-identical weights. Validated on construction; each problem is an
 * {@link InvalidInputException} naming the field as written here ({@code lr}, {@code window}, ...),
 * so a server can answer INVALID_ARGUMENT and a CLI can name its option.
 *
 * @param validation the split scored after every epoch (the training split is always TRAIN)
 * @param holdout 0 to validate on the release's own validation split; else the fraction of training
 *     videos held out as the validation split instead ({@link dev.affect.engine.data.abaw.AbawDataset#holdingOut},
 *     shuffled by the seed)
 * @param keepBest how many epoch checkpoints to keep, ranked by {@code metric} (the last one is kept too, to resume)
 */
public record RunConfig(AbawTask task, HeadKind head, OptimizerKind optimizer, double lr, double weightDecay,
                        double rho, LrSchedule schedule, int epochs, int batch, WindowSpec window, long seed,
                        AbawSplit validation, double holdout, Metric metric, int keepBest) {
    public static final double DEFAULT_LR = 1e-3;
    /** The DDAMFN authors' Adam rate for the whole network. */
    public static final double DEFAULT_BACKBONE_LR = 1e-4;
    /** SAM's neighbourhood size, as in DDAMFN++. */
    public static final double DEFAULT_RHO = 0.05;
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_BATCH = 32;
    public static final int DEFAULT_KEEP_BEST = 3;
    public static final int MAX_EPOCHS = 100_000;
    public static final int MAX_BATCH = 65_536;

    public RunConfig {
        require(task != null, "task", "missing");
        require(head != null, "head", "missing");
        require(optimizer != null, "optimizer", "missing");
        require(Double.isFinite(lr) && lr > 0 && lr <= 10, "lr", "must be in (0, 10], got " + lr);
        require(Double.isFinite(weightDecay) && weightDecay >= 0 && weightDecay * lr < 1, "weight_decay",
                "must be >= 0 with lr * weight_decay < 1, got " + weightDecay);
        require(weightDecay == 0 || optimizer != OptimizerKind.ADAM, "weight_decay",
                "adam has no weight decay here; use adamw (decoupled decay) or 0");
        require(Double.isFinite(rho) && rho > 0, "rho", "must be > 0, got " + rho);
        require(schedule != null, "schedule", "missing");
        require(epochs >= 1 && epochs <= MAX_EPOCHS, "epochs", "must be in 1.." + MAX_EPOCHS + ", got " + epochs);
        require(schedule.warmupEpochs() < epochs, "schedule.warmup_epochs", "must be fewer than the epochs (" + epochs
                + "), got " + schedule.warmupEpochs());
        require(batch >= 1 && batch <= MAX_BATCH, "batch", "must be in 1.." + MAX_BATCH + ", got " + batch);
        require(window != null, "window", "missing");
        require(validation != null, "validation_split", "missing");
        require(holdout >= 0 && holdout < 1, "validation_split", "must be in [0, 1) (0: the release's own split), got "
                + holdout);
        require(metric != null, "metric", "missing");
        Metric.requireFor(metric, task);
        require(keepBest >= 1, "keep_best", "must be >= 1, got " + keepBest);
        require(head != HeadKind.BACKBONE || task == AbawTask.EXPR, "task",
                "fine-tuning the backbone trains DDAMFN's expression classifier: the task must be EXPR, got " + task);
        require(head != HeadKind.BACKBONE || window.length() == 1, "window",
                "a backbone trains on single frames (window 1), got " + window);
    }

    /**
     * The defaults of a task and head: Adam, lr 1e-3, constant schedule, 10 epochs, batch 32, the
     * task's window, seed 0. A backbone: lr 1e-4 as the DDAMFN authors train it, every frame.
     */
    public static RunConfig defaults(AbawTask task, HeadKind head) {
        boolean backbone = head == HeadKind.BACKBONE;
        return new RunConfig(task, head, OptimizerKind.ADAM, backbone ? DEFAULT_BACKBONE_LR : DEFAULT_LR, 0, DEFAULT_RHO,
                LrSchedule.constant(), DEFAULT_EPOCHS, DEFAULT_BATCH, backbone ? new WindowSpec(1, 1)
                        : WindowSpec.defaultsFor(task), 0, AbawSplit.VALIDATION, 0, Metric.defaultFor(task), DEFAULT_KEEP_BEST);
    }

    /** {@code VA}, {@code EXPR} or {@code AU}, any case, naming the field {@code task} when unknown. */
    public static AbawTask parseTask(String s) {
        return Names.parse(AbawTask.class, "task", s);
    }

    public RunConfig withOptimizer(OptimizerKind o, double newLr, double newWeightDecay) {
        return new RunConfig(task, head, o, newLr, newWeightDecay, rho, schedule, epochs, batch, window, seed,
                validation, holdout, metric, keepBest);
    }

    public RunConfig withSchedule(LrSchedule s) {
        return new RunConfig(task, head, optimizer, lr, weightDecay, rho, s, epochs, batch, window, seed,
                validation, holdout, metric, keepBest);
    }

    public RunConfig withEpochs(int n) {
        return new RunConfig(task, head, optimizer, lr, weightDecay, rho, schedule, n, batch, window, seed,
                validation, holdout, metric, keepBest);
    }

    public RunConfig withBatch(int n) {
        return new RunConfig(task, head, optimizer, lr, weightDecay, rho, schedule, epochs, n, window, seed,
                validation, holdout, metric, keepBest);
    }

    public RunConfig withWindow(WindowSpec w) {
        return new RunConfig(task, head, optimizer, lr, weightDecay, rho, schedule, epochs, batch, w, seed,
                validation, holdout, metric, keepBest);
    }

    public RunConfig withSeed(long s) {
        return new RunConfig(task, head, optimizer, lr, weightDecay, rho, schedule, epochs, batch, window, s,
                validation, holdout, metric, keepBest);
    }

    public RunConfig withSelection(Metric m, int keep) {
        return new RunConfig(task, head, optimizer, lr, weightDecay, rho, schedule, epochs, batch, window, seed,
                validation, holdout, m, keep);
    }

    /** Validate on {@code fraction} of the training videos instead of the release's validation split (0: its own). */
    public RunConfig withHoldout(double fraction) {
        return new RunConfig(task, head, optimizer, lr, weightDecay, rho, schedule, epochs, batch, window, seed,
                validation, fraction, metric, keepBest);
    }

    /** The release as this run sees it: with {@link #holdout} training videos as its validation split. */
    public AbawDataset view(AbawDataset dataset) throws java.io.IOException {
        return holdout > 0 ? dataset.holdingOut(holdout, seed) : dataset;
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidInputException(field, message);
        }
    }
}
