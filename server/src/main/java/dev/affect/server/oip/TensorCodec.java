package dev.affect.server.oip;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.proto.inference.InferTensorContents;
import dev.affect.proto.inference.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Tensors in and out of the protocol: an FP32 input from {@code raw_input_contents} (little-endian)
 * or typed {@code fp32_contents}, checked against the model's spec; an FP32 output as little-endian
 * bytes for {@code raw_output_contents}. Errors are INVALID_ARGUMENT naming the tensor and model.
 */
final class TensorCodec {
    private TensorCodec() {
    }

    /**
     * Decodes one input into a tensor of the request's scope.
     *
     * @param raw the input's raw bytes, or null when the request uses typed contents
     */
    static Tensor decode(ModelInferRequest.InferInputTensor input, ByteString raw, TensorSpec spec, String model,
            TensorScope scope) {
        String name = input.getName();
        if (!spec.datatype().equals(input.getDatatype())) {
            throw OipErrors.invalid("inference input '" + name + "' data-type is '" + input.getDatatype()
                    + "', but model '" + model + "' expects '" + spec.datatype() + "'");
        }
        long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
        if (!shapeMatches(shape, spec.shape())) {
            throw OipErrors.invalid("unexpected shape for input '" + name + "' for model '" + model + "'. Expected "
                    + spec.shapeText() + ", got " + Arrays.toString(shape).replace(" ", ""));
        }
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE / Float.BYTES) {
            throw OipErrors.invalid("input '" + name + "' for model '" + model + "' is too large: " + count + " elements");
        }
        float[] values;
        if (raw != null) {
            if (input.hasContents()) {
                throw OipErrors.invalid("contents field must not be specified when using raw_input_contents for '" + name
                        + "' for model '" + model + "'");
            }
            long want = count * Float.BYTES;
            if (raw.size() != want) {
                throw OipErrors.invalid("input byte size mismatch for input '" + name + "' for model '" + model
                        + "'. Expected " + want + ", got " + raw.size());
            }
            values = new float[(int) count];
            raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            InferTensorContents c = input.getContents();
            int others = c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount()
                    + c.getUintContentsCount() + c.getUint64ContentsCount() + c.getFp64ContentsCount()
                    + c.getBytesContentsCount();
            if (others > 0) {
                throw OipErrors.invalid("input '" + name + "' for model '" + model
                        + "': an FP32 tensor's typed contents go in fp32_contents only");
            }
            if (c.getFp32ContentsCount() != count) {
                throw OipErrors.invalid("unexpected number of elements for input '" + name + "' for model '" + model
                        + "'. Expected " + count + " (shape " + Arrays.toString(shape).replace(" ", "") + "), got "
                        + c.getFp32ContentsCount() + " in fp32_contents");
            }
            values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = c.getFp32Contents(i);
            }
        }
        long row = Math.max(1, count / shape[0]);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw OipErrors.invalid("input '" + name + "' for model '" + model + "' contains " + values[i] + " in row "
                        + i / row + " at element " + i % row + "; values must be finite");
            }
        }
        Tensor t = scope.allocate(DType.F32, Shape.of(shape));
        t.copyFrom(values);
        return t;
    }

    /** Every dimension as the spec's, -1 in the spec matching any size >= 1. */
    private static boolean shapeMatches(long[] shape, long[] spec) {
        if (shape.length != spec.length) {
            return false;
        }
        for (int i = 0; i < spec.length; i++) {
            if (shape[i] < 1 || (spec[i] != -1 && shape[i] != spec[i]) || shape[i] > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** An F32 tensor's elements, little-endian. */
    static ByteString encode(Tensor t) {
        float[] values = t.toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer f = b.asFloatBuffer();
        f.put(values);
        return UnsafeByteOperations.unsafeWrap(b.array());
    }
}
