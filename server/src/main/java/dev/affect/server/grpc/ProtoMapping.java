package dev.affect.server.grpc;

import com.google.protobuf.ByteString;
import dev.affect.engine.InvalidInputException;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import dev.affect.proto.v1.Tensor;
import dev.affect.server.schedule.FrameInput;
import dev.affect.server.schedule.FramePrediction;
import dev.affect.server.schedule.Prediction;
import dev.affect.server.schedule.PredictionRequest;
import dev.affect.server.schedule.ServedModel;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** affect.v1 messages to and from the application's types. Structural checks only; no pixels are decoded. */
final class ProtoMapping {
    private static final long[] NORMALIZED_SHAPE = {3, 112, 112};

    private ProtoMapping() {
    }

    /**
     * @throws InvalidInputException a frame with no data, an empty image, or a tensor of the wrong
     *     shape or size; the field names the frame and its part, e.g. {@code frames[3].normalized.raw_contents}
     */
    static PredictionRequest toRequest(PredictRequest request) {
        List<FrameInput> frames = new ArrayList<>(request.getFramesCount());
        for (int i = 0; i < request.getFramesCount(); i++) {
            frames.add(toFrame(i, request.getFrames(i)));
        }
        return new PredictionRequest(request.getModel(), frames, request.getIncludeEmbedding());
    }

    /** The name of frame {@code index} in a PredictRequest, as error messages give it: {@code frames[3]}. */
    static String frameField(int index) {
        return "frames[" + index + "]";
    }

    private static FrameInput toFrame(int index, Frame frame) {
        String field = frameField(index);
        return switch (frame.getDataCase()) {
            case IMAGE -> {
                if (frame.getImage().isEmpty()) {
                    throw new InvalidInputException(field + ".image", "empty image");
                }
                yield new FrameInput.EncodedImage(frame.getImage().toByteArray());
            }
            case NORMALIZED -> new FrameInput.Normalized(toFloats(field + ".normalized", frame.getNormalized()));
            case DATA_NOT_SET -> throw new InvalidInputException(field, "neither image nor normalized is set");
        };
    }

    private static float[] toFloats(String field, Tensor t) {
        long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
        if (!Arrays.equals(shape, NORMALIZED_SHAPE)) {
            throw new InvalidInputException(field + ".shape", "a normalized face must have shape [3, 112, 112], got "
                    + Arrays.toString(shape));
        }
        int n = FrameInput.NORMALIZED_LENGTH;
        boolean typed = t.getFp32ContentsCount() > 0;
        boolean raw = !t.getRawContents().isEmpty();
        if (typed == raw) {
            throw new InvalidInputException(field, "set exactly one of fp32_contents and raw_contents");
        }
        float[] values = new float[n];
        if (typed) {
            if (t.getFp32ContentsCount() != n) {
                throw new InvalidInputException(field + ".fp32_contents", "has " + t.getFp32ContentsCount()
                        + " values, shape [3, 112, 112] needs " + n);
            }
            for (int k = 0; k < n; k++) {
                values[k] = t.getFp32Contents(k);
            }
        } else {
            ByteString bytes = t.getRawContents();
            if (bytes.size() != n * Float.BYTES) {
                throw new InvalidInputException(field + ".raw_contents", "has " + bytes.size()
                        + " bytes, shape [3, 112, 112] needs " + n * Float.BYTES + " (float32)");
            }
            bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        }
        return values;
    }

    static PredictResponse toResponse(Prediction prediction) {
        PredictResponse.Builder b = PredictResponse.newBuilder().setModel(prediction.model());
        for (FramePrediction f : prediction.frames()) {
            dev.affect.proto.v1.FramePrediction.Builder fb = dev.affect.proto.v1.FramePrediction.newBuilder()
                    .setExpression(f.expression())
                    .setExpressionIndex(f.expressionIndex());
            for (float v : f.logits()) {
                fb.addLogits(v);
            }
            for (float v : f.probabilities()) {
                fb.addProbabilities(v);
            }
            if (f.embedding() != null) {
                for (float v : f.embedding()) {
                    fb.addEmbedding(v);
                }
            }
            b.addPredictions(fb);
        }
        return b.build();
    }

    static ModelInfo toModelInfo(ServedModel model) {
        return ModelInfo.newBuilder()
                .setName(model.name())
                .setNumClass(model.numClass())
                .setNumHead(model.numHead())
                .addAllClassNames(model.classNames())
                .setBackend(model.backend())
                .build();
    }
}
