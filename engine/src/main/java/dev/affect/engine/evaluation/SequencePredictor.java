package dev.affect.engine.evaluation;

import dev.affect.engine.image.FaceNormalizer;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineOutput;
import dev.affect.engine.model.heads.PipelineState;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the frames of one video through a pipeline as one sequence: the frames that have an image,
 * in order, in chunks of at most {@code chunk} frames, the head state carried from chunk to chunk.
 * A frame without an image gets the previous frame's prediction (the first available one when no
 * earlier frame has an image; zeros when the video has no image at all).
 */
public final class SequencePredictor {
    private final Pipeline pipeline;
    private final FacePreprocessor preprocessor;
    private final int chunk;

    public SequencePredictor(Pipeline pipeline, FacePreprocessor preprocessor, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        }
        this.pipeline = pipeline;
        this.preprocessor = preprocessor;
        this.chunk = chunk;
    }

    /** The tasks the pipeline has a head for, in task order. */
    public List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (Task t : Task.values()) {
            if (pipeline.head(t).isPresent()) {
                tasks.add(t);
            }
        }
        return tasks;
    }

    /**
     * Predictions for every frame of a video ({@code images.get(i)} is frame i's image, if any): per
     * task of {@link #tasks()}, one row of the head's activated values per frame.
     */
    public Map<Task, float[][]> predict(List<Optional<Path>> images) throws IOException {
        return predict(images, preprocessor::writeInto);
    }

    /**
     * As {@link #predict(List)} for faces already decoded and resized ({@link FacePreprocessor#face}),
     * every frame present.
     */
    public Map<Task, float[][]> predictFaces(List<RgbImage> faces) {
        try {
            return predict(faces.stream().map(Optional::of).toList(), FaceNormalizer::writeInto);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("decoded faces are not read from files", e);
        }
    }

    /** Writes frame {@code image} as sample {@code index} of a [N, 3, 112, 112] batch. */
    @FunctionalInterface
    private interface FrameWriter<T> {
        void write(Tensor batch, int index, T image) throws IOException;
    }

    private <T> Map<Task, float[][]> predict(List<Optional<T>> images, FrameWriter<T> writer) throws IOException {
        int n = images.size();
        List<Task> tasks = tasks();
        Map<Task, float[][]> rows = new EnumMap<>(Task.class);
        for (Task t : tasks) {
            rows.put(t, new float[n][]);
        }
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (images.get(i).isPresent()) {
                present.add(i);
            }
        }
        try (TensorScope stateScope = new TensorScope()) {
            PipelineState state = pipeline.newState(stateScope);
            for (int start = 0; start < present.size(); start += chunk) {
                int end = Math.min(present.size(), start + chunk);
                try (TensorScope scope = new TensorScope()) {
                    Tensor clip = scope.allocate(dev.affect.engine.tensor.DType.F32, dev.affect.engine.tensor.Shape.of(end - start, 3, 112, 112));
                    for (int k = start; k < end; k++) {
                        writer.write(clip, k - start, images.get(present.get(k)).orElseThrow());
                    }
                    PipelineOutput out = pipeline.run(clip, state, scope);
                    for (Task t : tasks) {
                        float[] values = out.get(t).toFloatArray();
                        int width = values.length / (end - start);
                        for (int k = start; k < end; k++) {
                            float[] row = new float[width];
                            System.arraycopy(values, (k - start) * width, row, 0, width);
                            rows.get(t)[present.get(k)] = row;
                        }
                    }
                }
            }
        }
        for (Task t : tasks) {
            fill(rows.get(t), t.outputSize());
        }
        return rows;
    }

    /** Carries predictions into frames without one: forward from the previous, else the first available. */
    static void fill(float[][] rows, int width) {
        float[] first = null;
        for (float[] r : rows) {
            if (r != null) {
                first = r;
                break;
            }
        }
        float[] last = first != null ? first : new float[width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                rows[i] = last;
            } else {
                last = rows[i];
            }
        }
    }

    /** The head of a task, when the pipeline has one. */
    public Optional<Head> head(Task task) {
        return pipeline.head(task);
    }
}
