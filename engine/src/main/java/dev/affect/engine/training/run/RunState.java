package dev.affect.engine.training.run;

import java.util.List;
import java.util.Optional;

/**
 * A run's progress as of its last checkpoint, the commit point of every epoch: the epochs done (the
 * next epoch's window order depends only on the seed and its number, so this is also the shuffling
 * RNG's position), the optimiser steps so far, every epoch's record, and the best epochs by the
 * config's metric (at most keepBest, best first) whose checkpoints are kept besides the last one.
 */
public record RunState(int completedEpochs, long globalStep, List<EpochRecord> history, List<Integer> best) {
    public RunState {
        history = List.copyOf(history);
        best = List.copyOf(best);
    }

    static RunState start() {
        return new RunState(0, 0, List.of(), List.of());
    }

    /** The record of the best epoch so far, when an epoch is done. */
    public Optional<EpochRecord> bestEpoch() {
        return best.isEmpty() ? Optional.empty() : Optional.of(history.get(best.getFirst() - 1));
    }

    /** The state after one more epoch: its record appended and the best list re-ranked. */
    RunState next(EpochRecord record, long steps, Metric metric, int keepBest) {
        List<EpochRecord> h = new java.util.ArrayList<>(history);
        h.add(record);
        List<Integer> ranked = new java.util.ArrayList<>(best);
        ranked.add(record.epoch());
        // stable: among equal values the earlier epoch stays ahead
        ranked.sort((a, b) -> {
            double va = h.get(a - 1).value(metric);
            double vb = h.get(b - 1).value(metric);
            return metric.better(va, vb) ? -1 : metric.better(vb, va) ? 1 : Integer.compare(a, b);
        });
        return new RunState(record.epoch(), globalStep + steps, h, ranked.subList(0, Math.min(keepBest, ranked.size())));
    }
}
