package dev.affect.engine.evaluation;

import java.util.List;

/**
 * What a {@link DatasetEvaluator} run gave.
 *
 * @param videos videos run (each once, over its longest annotation)
 * @param frames frames run through the pipeline, over all videos
 * @param scores one per task, in task order
 */
public record DatasetEvaluation(int videos, long frames, List<TaskScore> scores) {
    public DatasetEvaluation {
        scores = List.copyOf(scores);
    }
}
