package dev.affect.server.grpc;

import com.google.protobuf.ByteString;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.Softmax;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.ActionUnit;
import dev.affect.proto.v1.ActionUnits;
import dev.affect.proto.v1.Affect;
import dev.affect.proto.v1.Expression;
import dev.affect.proto.v1.FramePrediction;
import dev.affect.proto.v1.LabelScore;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.Tensor;
import dev.affect.proto.v1.ValenceArousal;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.DecodeBudget;
import dev.affect.server.schedule.FrameJob;
import dev.affect.server.schedule.RowResult;
import dev.affect.server.stream.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/** affect.v1 messages to and from the application's types. Structural checks only; no pixels are decoded. */
final class ProtoMapping {
    private static final long[] NORMALIZED_SHAPE = {3, 112, 112};
    private static final int NORMALIZED_LENGTH = 3 * 112 * 112;

    private ProtoMapping() {
    }

    /** The name of frame {@code index} in a PredictRequest, as error messages give it: {@code frames[3]}. */
    static String frameField(int index) {
        return "frames[" + index + "]";
    }

    /** An encoded image, checked against the per-frame pixel limit from its header (the one read of it). */
    static FrameJob.FrameData image(String field, ByteString image, DecodeBudget budget) {
        if (image.isEmpty()) {
            throw new InvalidInputException(field + ".image", "empty image");
        }
        byte[] bytes = image.toByteArray();
        return new FrameJob.Image(bytes, budget.checkFrame(bytes, field + ".image"));
    }

    /** A normalised face: shape and size checked here, finiteness while it is decoded. */
    static FrameJob.FrameData normalized(String field, Tensor t) {
        String f = field + ".normalized";
        long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
        if (!Arrays.equals(shape, NORMALIZED_SHAPE)) {
            throw new InvalidInputException(f + ".shape", "a normalized face must have shape [3, 112, 112], got "
                    + Arrays.toString(shape));
        }
        boolean typed = t.getFp32ContentsCount() > 0;
        boolean raw = !t.getRawContents().isEmpty();
        if (typed == raw) {
            throw new InvalidInputException(f, "set exactly one of fp32_contents and raw_contents");
        }
        if (typed) {
            if (t.getFp32ContentsCount() != NORMALIZED_LENGTH) {
                throw new InvalidInputException(f + ".fp32_contents", "has " + t.getFp32ContentsCount()
                        + " values, shape [3, 112, 112] needs " + NORMALIZED_LENGTH);
            }
            return new FrameJob.Normalized(null, t.getFp32ContentsList());
        }
        ByteString bytes = t.getRawContents();
        if (bytes.size() != NORMALIZED_LENGTH * Float.BYTES) {
            throw new InvalidInputException(f + ".raw_contents", "has " + bytes.size()
                    + " bytes, shape [3, 112, 112] needs " + NORMALIZED_LENGTH * Float.BYTES + " (float32)");
        }
        return new FrameJob.Normalized(bytes.asReadOnlyByteBuffer(), null);
    }

    static Task task(dev.affect.proto.v1.Task t, String field) {
        return switch (t) {
            case TASK_VA -> Task.VA;
            case TASK_EXPR -> Task.EXPR;
            case TASK_AU -> Task.AU;
            default -> throw new InvalidInputException(field, "unknown task " + t);
        };
    }

    static List<Task> tasks(List<dev.affect.proto.v1.Task> tasks, String field) {
        List<Task> out = new ArrayList<>(tasks.size());
        for (dev.affect.proto.v1.Task t : tasks) {
            out.add(task(t, field));
        }
        return out;
    }

    static dev.affect.proto.v1.Task toProto(Task t) {
        return switch (t) {
            case VA -> dev.affect.proto.v1.Task.TASK_VA;
            case EXPR -> dev.affect.proto.v1.Task.TASK_EXPR;
            case AU -> dev.affect.proto.v1.Task.TASK_AU;
        };
    }

    /**
     * The task values of one frame: smoothed by the session's window and thresholded by its AU
     * thresholds, or as they are (threshold 0.5) for a unary frame ({@code session} null).
     */
    static Affect affect(List<Task> tasks, RowResult row, Session session) {
        return session == null ? affect(tasks, row, null, null)
                : affect(tasks, row, session.settings().auThresholds(), session::smooth);
    }

    /**
     * The task values of one frame, smoothed by {@code smooth} (a session's or one face's window) and
     * thresholded by {@code auThresholds}; both null: as they are, threshold 0.5.
     */
    static Affect affect(List<Task> tasks, RowResult row, float[] auThresholds, BiFunction<Task, float[], float[]> smooth) {
        Affect.Builder a = Affect.newBuilder();
        for (Task task : tasks) {
            float[] v = row.values(task);
            if (v == null) {
                continue;
            }
            if (smooth != null) {
                v = smooth.apply(task, v);
            }
            switch (task) {
                case VA -> a.setVa(ValenceArousal.newBuilder().setValence(v[0]).setArousal(v[1]));
                case EXPR -> {
                    Expression.Builder e = Expression.newBuilder();
                    int top = argmax(v);
                    for (int k = 0; k < v.length; k++) {
                        e.addProbabilities(LabelScore.newBuilder().setName(Task.EXPR.labels().get(k)).setProbability(v[k]));
                    }
                    a.setExpression(e.setTop(Task.EXPR.labels().get(top)).setTopIndex(top));
                }
                case AU -> {
                    ActionUnits.Builder au = ActionUnits.newBuilder();
                    for (int k = 0; k < v.length; k++) {
                        String name = Task.AU.labels().get(k);
                        float threshold = auThresholds == null ? 0.5f : auThresholds[k];
                        boolean active = v[k] >= threshold;
                        au.addUnits(ActionUnit.newBuilder().setName(name).setProbability(v[k]).setThreshold(threshold)
                                .setActive(active));
                        if (active) {
                            au.addActive(name);
                        }
                    }
                    a.setActionUnits(au);
                }
            }
        }
        return a.build();
    }

    /** A unary frame's answer: the backbone classifier's outputs and the heads on this frame alone. */
    static FramePrediction prediction(ServedPipeline pipeline, List<Task> tasks, RowResult row, boolean embedding) {
        float[] logits = row.logits();
        double[] p = Softmax.of(logits, 0, logits.length);
        int top = argmax(logits);
        FramePrediction.Builder b = FramePrediction.newBuilder()
                .setExpression(pipeline.classNames().get(top))
                .setExpressionIndex(top);
        for (int k = 0; k < logits.length; k++) {
            b.addLogits(logits[k]);
            b.addProbabilities((float) p[k]);
        }
        if (embedding) {
            for (float v : row.embedding()) {
                b.addEmbedding(v);
            }
        }
        if (!tasks.isEmpty()) {
            b.setAffect(affect(tasks, row, null));
        }
        return b.build();
    }

    static ModelInfo toModelInfo(ServedPipeline p) {
        ModelInfo.Builder b = ModelInfo.newBuilder()
                .setName(p.name())
                .setNumClass(p.backbone().config().numClass())
                .setNumHead(p.backbone().config().numHead())
                .addAllClassNames(p.classNames())
                .setBackend(p.backendName())
                .setDescription(p.description())
                .setDemo(p.demo());
        for (Task t : p.tasks()) {
            b.addTasks(toProto(t));
        }
        p.heads().forEach((task, head) -> b.addHeads(task.key() + ": " + head.describe()));
        return b.build();
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    static dev.affect.proto.v1.FaceMode toProto(dev.affect.server.stream.FaceMode mode) {
        return switch (mode) {
            case AUTO -> dev.affect.proto.v1.FaceMode.FACE_AUTO;
            case NONE -> dev.affect.proto.v1.FaceMode.FACE_NONE;
            case DETECT -> dev.affect.proto.v1.FaceMode.FACE_DETECT;
        };
    }

    /** The face a stream frame's result is for, in the frame's pixels. */
    static dev.affect.proto.v1.DetectedFace face(dev.affect.engine.face.FaceFinder.Face face, long trackId) {
        dev.affect.engine.model.retinaface.FaceDetection d = face.detection();
        dev.affect.proto.v1.DetectedFace.Builder b = dev.affect.proto.v1.DetectedFace.newBuilder()
                .addBox(d.x1()).addBox(d.y1()).addBox(d.x2()).addBox(d.y2())
                .setScore(d.score()).setTrackId(trackId);
        for (float v : d.landmarks()) {
            b.addLandmarks(v);
        }
        return b.build();
    }
}
