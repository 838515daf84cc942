package dev.affect.cli.benchtrain;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What {@code affect bench --train} measures, on both sides.
 *
 * @param workloads   {@code heads}, {@code ddamfn} or both
 * @param kinds       head kinds: {@code fc}, {@code lstm}
 * @param tasks       head tasks
 * @param windows     head batch: windows B of cached embeddings per step
 * @param window      frames T per window
 * @param ddamfnBatch images per DDAMFN fine-tuning step
 * @param steps       timed head steps per workload
 * @param ddamfnSteps timed DDAMFN steps
 * @param warmup      untimed steps first (DDAMFN: at most one, its steps are long)
 * @param threads     compute threads, the same for affect and PyTorch
 * @param checkpoint  the DDAMFN weights both sides fine-tune; null: DDAMFN is not measured
 * @param python      the interpreter that has torch (Debian's python3-torch)
 * @param peerScript  scripts/peer/train_bench.py, or null when it could not be found
 */
public record TrainBenchSettings(Set<String> workloads, List<String> kinds, List<Task> tasks, int windows, int window,
        int ddamfnBatch, int steps, int ddamfnSteps, int warmup, int threads, Path checkpoint, Path python, Path peerScript) {
    public static final String HEADS = "heads";
    public static final String DDAMFN = "ddamfn";
    public static final List<String> KINDS = List.of("fc", "lstm");

    public TrainBenchSettings {
        workloads = Set.copyOf(workloads);
        kinds = List.copyOf(kinds);
        tasks = List.copyOf(tasks);
        if (workloads.isEmpty() || !Set.of(HEADS, DDAMFN).containsAll(workloads)) {
            throw new InvalidInputException("--workloads", "must be heads, ddamfn or both, got " + workloads);
        }
        if (!KINDS.containsAll(kinds) || kinds.isEmpty()) {
            throw new InvalidInputException("--head-kinds", "must be fc, lstm or both, got " + kinds);
        }
        if (tasks.isEmpty()) {
            throw new InvalidInputException("--tasks", "needs at least one of va, expr, au");
        }
        positive("--windows", windows);
        positive("--window", window);
        positive("--steps", steps);
        positive("--ddamfn-steps", ddamfnSteps);
        positive("--threads", threads);
        // train-mode BatchNorm needs two values per channel; the GDConv's BN sees one per image
        if (ddamfnBatch < 2) {
            throw new InvalidInputException("--ddamfn-batch", "train-mode BatchNorm needs at least 2 images, got " + ddamfnBatch);
        }
        if (warmup < 0) {
            throw new InvalidInputException("--warmup", "must not be negative, got " + warmup);
        }
        if (workloads.contains(DDAMFN) && checkpoint == null) {
            throw new InvalidInputException("--checkpoint", "DDAMFN fine-tuning needs the weights both sides start from"
                    + " (or --workloads heads)");
        }
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new InvalidInputException(option, "must be at least 1, got " + value);
        }
    }

    public int ddamfnWarmup() {
        return Math.min(warmup, 1);
    }
}
