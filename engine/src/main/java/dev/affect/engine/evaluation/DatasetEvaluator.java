package dev.affect.engine.evaluation;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawFrame;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Runs a pipeline over every video of an ABAW split and scores it: each video once, as one sequence
 * (its frames in order, the head state carried), over the longest of its tasks' annotations; each
 * task's rows go to a {@link PredictionSink} (e.g. prediction files) and to that task's
 * {@link TaskScorer}.
 */
public final class DatasetEvaluator {
    /** Where a video's predictions for a task go, besides the scores. */
    @FunctionalInterface
    public interface PredictionSink {
        PredictionSink NONE = (task, video, rows) -> { };

        /** @param rows one per annotated frame of the video for this task */
        void accept(Task task, String video, float[][] rows) throws IOException;
    }

    private final SequencePredictor predictor;

    public DatasetEvaluator(SequencePredictor predictor) {
        this.predictor = predictor;
    }

    /**
     * The videos of each task's split, every task checked first.
     *
     * @throws InvalidInputException naming {@code split} when a task has no video in the split, or
     *                               {@code tasks} when the pipeline has no head for one
     */
    public Map<Task, List<String>> videos(AbawDataset dataset, AbawSplit split, Set<Task> tasks) throws IOException {
        Map<Task, List<String>> videos = new EnumMap<>(Task.class);
        for (Task t : tasks) {
            if (predictor.head(t).isEmpty()) {
                throw new InvalidInputException("tasks", "the pipeline has no " + t + " head; it has " + predictor.tasks());
            }
            AbawTask task = AbawTask.valueOf(t.name());
            List<String> v = dataset.videos(task, split);
            if (v.isEmpty()) {
                throw new InvalidInputException("split", "no " + t + " videos in the " + split.label() + " split ("
                        + dataset.annotationFolder(task, split) + ")");
            }
            videos.put(t, v);
        }
        return videos;
    }

    /**
     * Predicts and scores {@code videos} (from {@link #videos}), in video-name order.
     *
     * @param stop checked between videos; once true the run ends with a
     *             {@link java.util.concurrent.CancellationException}
     */
    public DatasetEvaluation evaluate(AbawDataset dataset, AbawSplit split, Map<Task, List<String>> videos,
            PredictionSink sink, BooleanSupplier stop) throws IOException {
        Map<String, List<Task>> tasksOf = new TreeMap<>();
        videos.forEach((t, vs) -> vs.forEach(v -> tasksOf.computeIfAbsent(v, k -> new ArrayList<>()).add(t)));
        Map<Task, TaskScorer> scorers = new EnumMap<>(Task.class);
        videos.keySet().forEach(t -> scorers.put(t, new TaskScorer(t)));
        long frames = 0;
        for (Map.Entry<String, List<Task>> e : tasksOf.entrySet()) {
            if (stop.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("evaluation stopped before video " + e.getKey());
            }
            String video = e.getKey();
            Map<Task, List<AbawFrame>> annotated = new EnumMap<>(Task.class);
            List<Optional<Path>> images = new ArrayList<>();
            for (Task t : e.getValue()) {
                List<AbawFrame> f = dataset.frames(AbawTask.valueOf(t.name()), split, video);
                annotated.put(t, f);
                for (int i = images.size(); i < f.size(); i++) {
                    images.add(f.get(i).image());
                }
            }
            frames += images.size();
            Map<Task, float[][]> rows = predictor.predict(images);
            for (Task t : e.getValue()) {
                List<AbawFrame> f = annotated.get(t);
                float[][] r = java.util.Arrays.copyOf(rows.get(t), f.size());
                sink.accept(t, video, r);
                TaskScorer scorer = scorers.get(t);
                for (int i = 0; i < f.size(); i++) {
                    scorer.add(f.get(i).label(), r[i]);
                }
            }
        }
        List<TaskScore> scores = new ArrayList<>();
        for (TaskScorer s : scorers.values()) {
            scores.add(s.score());
        }
        return new DatasetEvaluation(tasksOf.size(), frames, scores);
    }
}
