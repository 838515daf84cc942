package dev.affect.server.grpc;

import dev.affect.engine.evaluation.DatasetEvaluation;
import dev.affect.engine.evaluation.TaskScore;
import dev.affect.proto.v1.EvaluationResult;
import java.util.List;

/** Evaluations on the wire. */
final class EvaluationProto {
    private EvaluationProto() {
    }

    static EvaluationResult result(String pipeline, DatasetEvaluation e) {
        return result(pipeline, e.videos(), e.frames(), e.scores());
    }

    static EvaluationResult result(String pipeline, int videos, long frames, List<TaskScore> scores) {
        EvaluationResult.Builder b = EvaluationResult.newBuilder().setPipeline(pipeline).setVideos(videos).setFrames(frames);
        for (TaskScore s : scores) {
            b.addScores(dev.affect.proto.v1.TaskScore.newBuilder().setTask(ProtoMapping.toProto(s.task()))
                    .setFrames(s.frames()).putAllMetrics(s.metrics()));
        }
        return b.build();
    }
}
