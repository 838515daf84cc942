package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.evaluation.SequencePredictor;
import dev.affect.engine.evaluation.TaskScore;
import dev.affect.engine.evaluation.TaskScorer;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.ImageFormatException;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.EvaluateStreamRequest;
import dev.affect.proto.v1.EvaluationResult;
import dev.affect.proto.v1.FrameLabel;
import dev.affect.proto.v1.LabelledFrame;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One EvaluateStream call: {@code start}, then labelled frames, video by video. A video's frames are
 * held (decoded, 112x112) until the next video begins or the client half-closes, then run as one
 * sequence and scored; so a video's frames must come together, and at most {@link #MAX_VIDEO_FRAMES}
 * of them. Errors name the message by its position in the stream ({@code frames[i]}, counted from 0
 * after {@code start}).
 */
final class EvaluationStream extends StartThenFrames<EvaluateStreamRequest, EvaluationResult> {
    /** Frames of one video held at once (about 37 KB each). */
    static final int MAX_VIDEO_FRAMES = 8192;

    private final PipelineRegistry registry;
    private final FacePreprocessor preprocessor = new FacePreprocessor(ImageDecoder.best());
    private ServedPipeline pipeline;
    private SequencePredictor predictor;
    private final Map<Task, TaskScorer> scorers = new EnumMap<>(Task.class);
    private final Set<String> videosDone = new HashSet<>();
    private String video;
    private final List<RgbImage> faces = new ArrayList<>();
    private final List<Map<Task, float[]>> labels = new ArrayList<>();
    EvaluationStream(PipelineRegistry registry, StreamObserver<EvaluationResult> out) {
        super(out);
        this.registry = registry;
    }

    @Override
    protected void accept(EvaluateStreamRequest request) {
        if (request.hasStart()) {
            start(request);
        } else if (request.hasFrame()) {
            frame(request.getFrame());
        } else {
            throw new InvalidInputException(where(), "neither start nor frame");
        }
    }

    @Override
    protected boolean started() {
        return pipeline != null;
    }

    private void start(EvaluateStreamRequest request) {
        if (pipeline != null) {
            throw new InvalidInputException("start", "sent twice; start comes once, first");
        }
        pipeline = EvaluationServiceImpl.acquire(registry, request.getStart().getPipeline());
        EvaluationServiceImpl.tasks(request.getStart().getTasksList(), pipeline, "start.tasks")
                .forEach(t -> scorers.put(t, new TaskScorer(t)));
        predictor = EvaluationServiceImpl.predictor(pipeline);
    }

    private void frame(LabelledFrame f) {
        String at = where();
        if (pipeline == null) {
            throw new InvalidInputException(at, "a frame before start; start comes first");
        }
        if (f.getVideo().isEmpty()) {
            throw new InvalidInputException(at + ".video", "required: the video the frame belongs to");
        }
        if (!f.getVideo().equals(video)) {
            runVideo();
            if (!videosDone.add(f.getVideo())) {
                throw new InvalidInputException(at + ".video", "video '" + f.getVideo() + "' already ended; send each"
                        + " video's frames together");
            }
            video = f.getVideo();
        }
        if (faces.size() >= MAX_VIDEO_FRAMES) {
            throw Status.RESOURCE_EXHAUSTED.withDescription(at + ": video '" + video + "' has more than " + MAX_VIDEO_FRAMES
                    + " frames; split it into several videos").asRuntimeException();
        }
        if (!f.getFrame().hasImage()) {
            throw new InvalidInputException(at + ".frame.image", "required: an encoded JPEG or PNG face crop");
        }
        Map<Task, float[]> label = labels(f.getLabel(), at + ".label");
        RgbImage face;
        try {
            face = preprocessor.face(f.getFrame().getImage().toByteArray(), at + ".frame.image");
        } catch (ImageFormatException e) {
            throw new InvalidInputException(at + ".frame.image", e.getMessage(), e);
        }
        faces.add(face);
        labels.add(label);
        frames++;
    }

    /** The frame's label for each scored task that has one; every value checked against the ABAW ranges. */
    private Map<Task, float[]> labels(FrameLabel l, String at) {
        Map<Task, float[]> out = new EnumMap<>(Task.class);
        FrameLabels.of(l, at).forEach((task, values) -> {
            Task t = Task.valueOf(task.name());
            if (scorers.containsKey(t)) {
                out.put(t, values);
            }
        });
        return out;
    }

    /** Runs the held video as one sequence and scores its labelled frames. */
    private void runVideo() {
        if (faces.isEmpty()) {
            return;
        }
        Map<Task, float[][]> rows = predictor.predictFaces(faces);
        for (int i = 0; i < faces.size(); i++) {
            for (Map.Entry<Task, float[]> l : labels.get(i).entrySet()) {
                scorers.get(l.getKey()).add(l.getValue(), rows.get(l.getKey())[i]);
            }
        }
        faces.clear();
        labels.clear();
    }

    @Override
    protected EvaluationResult finish() {
        runVideo();
        List<TaskScore> scores = new ArrayList<>();
        for (TaskScorer s : scorers.values()) {
            scores.add(s.score());
        }
        return EvaluationProto.result(pipeline.name(), videosDone.size(), frames, scores);
    }

    @Override
    protected void release() {
        faces.clear();
        if (pipeline != null) {
            pipeline.release();
        }
    }
}
