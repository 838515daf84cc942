package dev.affect.server.oip;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.FaceDetection;
import dev.affect.proto.inference.InferTensorContents;
import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.server.face.FaceService;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The model {@code retinaface}: the server's {@link FaceService} (RetinaFace + 112x112 alignment)
 * over the protocol. Served only when the server has a face service.
 *
 * <p>Input {@code image}: one RGB image, [H,W,3] with any H, W >= 1 (no batch dimension: one image
 * per request), {@code UINT8} (raw bytes or {@code uint_contents}) or {@code FP32} (raw little-endian
 * or {@code fp32_contents}) holding 0..255 values, rounded to the nearest integer as the detector
 * reads 8-bit pixels. The metadata states UINT8. H*W above the server's per-frame pixel limit is
 * refused from the shape alone, before anything is allocated.
 *
 * <p>Outputs, one row per face, best score first, K = 0 when there is none: {@code boxes} FP32
 * [K,4] (x1,y1,x2,y2 in the image's pixels, not clipped), {@code scores} FP32 [K], {@code landmarks}
 * FP32 [K,5,2] (x,y of left eye, right eye, nose, left and right mouth corner) and {@code crops}
 * UINT8 [K,112,112,3] (each face aligned as DDAMFN takes it).
 */
final class FaceModel {
    static final String NAME = "retinaface";
    static final String PLATFORM = "affect_retinaface";
    static final String INPUT = "image";
    static final String UINT8 = "UINT8";
    static final int CROP = 112;

    static final List<TensorSpec> INPUTS = List.of(new TensorSpec(INPUT, UINT8, new long[] {-1, -1, 3}));
    static final List<TensorSpec> OUTPUTS = List.of(
            TensorSpec.fp32("boxes", -1, 4),
            TensorSpec.fp32("scores", -1),
            TensorSpec.fp32("landmarks", -1, 5, 2),
            new TensorSpec("crops", UINT8, new long[] {-1, CROP, CROP, 3}));

    private final FaceService faces;
    private final long maxPixels;

    /**
     * @param maxPixels the most pixels (H*W) of one image, the server's {@code maxFramePixels}
     */
    FaceModel(FaceService faces, long maxPixels) {
        this.faces = Objects.requireNonNull(faces, "faces");
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /** The output tensors of one image: what {@link #run} found, ready for the response. */
    record Result(int faces, ByteString boxes, ByteString scores, ByteString landmarks, ByteString crops) {
        /** The output's raw contents and its shape. */
        ByteString contents(String output) {
            return switch (output) {
                case "boxes" -> boxes;
                case "scores" -> scores;
                case "landmarks" -> landmarks;
                case "crops" -> crops;
                default -> throw new IllegalArgumentException("no output " + output); // checked by the caller
            };
        }

        long[] shape(String output) {
            return switch (output) {
                case "boxes" -> new long[] {faces, 4};
                case "scores" -> new long[] {faces};
                case "landmarks" -> new long[] {faces, 5, 2};
                case "crops" -> new long[] {faces, CROP, CROP, 3};
                default -> throw new IllegalArgumentException("no output " + output);
            };
        }
    }

    /** Decodes the request's image (INVALID_ARGUMENT naming {@code image} when it is not one), finds and aligns its faces. */
    Result run(ModelInferRequest request) {
        RgbImage image = decode(request);
        List<FaceFinder.Face> found = faces.withFinder(f -> f.find(image));
        return encode(found);
    }

    RgbImage decode(ModelInferRequest request) {
        if (request.getInputsCount() != 1) {
            throw OipErrors.invalid("expected 1 inputs but got " + request.getInputsCount() + " inputs for model '" + NAME
                    + "'. Got input(s) " + request.getInputsList().stream().map(i -> "'" + i.getName() + "'").toList()
                    + ", but missing required input(s) ['" + INPUT + "']");
        }
        ModelInferRequest.InferInputTensor input = request.getInputs(0);
        String name = input.getName();
        if (!INPUT.equals(name)) {
            throw OipErrors.invalid("unexpected inference input '" + name + "' for model '" + NAME + "'; it takes "
                    + INPUTS.getFirst());
        }
        String dtype = input.getDatatype();
        boolean fp32 = TensorSpec.FP32.equals(dtype);
        if (!fp32 && !UINT8.equals(dtype)) {
            throw OipErrors.invalid("inference input '" + INPUT + "' data-type is '" + dtype + "', but model '" + NAME
                    + "' expects '" + UINT8 + "' (or '" + TensorSpec.FP32 + "' holding 0..255)");
        }
        long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
        String shapeText = Arrays.toString(shape).replace(" ", "");
        if (shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] != 3) {
            throw OipErrors.invalid("unexpected shape for input '" + INPUT + "' for model '" + NAME
                    + "'. Expected [-1,-1,3] (one RGB image, H x W x 3, no batch dimension), got " + shapeText);
        }
        // before anything is allocated: the shape alone says how large the image is
        if (shape[0] > maxPixels || shape[1] > maxPixels || shape[0] * shape[1] > maxPixels) {
            throw OipErrors.invalid("input '" + INPUT + "' for model '" + NAME + "' is " + shape[1] + " x " + shape[0]
                    + " pixels, over this server's limit of " + maxPixels + " pixels per image");
        }
        int height = (int) shape[0];
        int width = (int) shape[1];
        long values = (long) height * width * 3;
        if (values > Integer.MAX_VALUE - 8) {
            throw OipErrors.invalid("input '" + INPUT + "' for model '" + NAME + "' is too large: " + values + " elements");
        }
        int count = (int) values;
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != 1) {
            throw OipErrors.invalid("expected 1 raw_input_contents (one per input) but got "
                    + request.getRawInputContentsCount() + " for model '" + NAME + "'");
        }
        if (raw && input.hasContents()) {
            throw OipErrors.invalid("contents field must not be specified when using raw_input_contents for '" + INPUT
                    + "' for model '" + NAME + "'");
        }
        byte[] pixels = raw ? fromRaw(request.getRawInputContents(0), fp32, count, shapeText)
                : fromTyped(input.getContents(), fp32, count, shapeText);
        return new RgbImage(width, height, pixels);
    }

    private static byte[] fromRaw(ByteString bytes, boolean fp32, int count, String shapeText) {
        long want = (long) count * (fp32 ? Float.BYTES : 1);
        if (bytes.size() != want) {
            throw OipErrors.invalid("input byte size mismatch for input '" + INPUT + "' for model '" + NAME
                    + "'. Expected " + want + " (shape " + shapeText + "), got " + bytes.size());
        }
        if (!fp32) {
            return bytes.toByteArray();
        }
        FloatBuffer f = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        byte[] pixels = new byte[count];
        for (int i = 0; i < count; i++) {
            pixels[i] = pixel(f.get(i), i);
        }
        return pixels;
    }

    private static byte[] fromTyped(InferTensorContents c, boolean fp32, int count, String shapeText) {
        int given = fp32 ? c.getFp32ContentsCount() : c.getUintContentsCount();
        int others = c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount()
                + c.getUint64ContentsCount() + c.getFp64ContentsCount() + c.getBytesContentsCount()
                + (fp32 ? c.getUintContentsCount() : c.getFp32ContentsCount());
        String field = fp32 ? "fp32_contents" : "uint_contents";
        if (others > 0) {
            throw OipErrors.invalid("input '" + INPUT + "' for model '" + NAME + "': a " + (fp32 ? "FP32" : "UINT8")
                    + " tensor's typed contents go in " + field + " only");
        }
        if (given != count) {
            throw OipErrors.invalid("unexpected number of elements for input '" + INPUT + "' for model '" + NAME
                    + "'. Expected " + count + " (shape " + shapeText + "), got " + given + " in " + field);
        }
        byte[] pixels = new byte[count];
        for (int i = 0; i < count; i++) {
            if (fp32) {
                pixels[i] = pixel(c.getFp32Contents(i), i);
            } else {
                int v = c.getUintContents(i);
                if (v < 0 || v > 255) {
                    throw OipErrors.invalid("input '" + INPUT + "' for model '" + NAME + "' holds " + Integer.toUnsignedString(v)
                            + " at element " + i + "; UINT8 values are 0..255");
                }
                pixels[i] = (byte) v;
            }
        }
        return pixels;
    }

    /** An FP32 pixel value, 0..255, rounded half to even. */
    private static byte pixel(float v, int index) {
        if (!(v >= 0f && v <= 255f)) {
            throw OipErrors.invalid("input '" + INPUT + "' for model '" + NAME + "' holds " + v + " at element " + index
                    + "; pixel values must be in 0..255");
        }
        return (byte) (int) Math.rint(v);
    }

    private static Result encode(List<FaceFinder.Face> found) {
        int k = found.size();
        ByteBuffer boxes = floats(k * 4);
        ByteBuffer scores = floats(k);
        ByteBuffer landmarks = floats(k * 10);
        byte[] crops = new byte[k * CROP * CROP * 3];
        for (int i = 0; i < k; i++) {
            FaceDetection d = found.get(i).detection();
            boxes.putFloat(d.x1()).putFloat(d.y1()).putFloat(d.x2()).putFloat(d.y2());
            scores.putFloat(d.score());
            for (float v : d.landmarks()) {
                landmarks.putFloat(v);
            }
            RgbImage crop = found.get(i).crop();
            if (crop.width() != CROP || crop.height() != CROP) {
                throw new IllegalStateException("the face service aligns to " + crop.width() + " x " + crop.height()
                        + ", not " + CROP + " x " + CROP);
            }
            System.arraycopy(crop.pixels(), 0, crops, i * CROP * CROP * 3, CROP * CROP * 3);
        }
        return new Result(k, wrap(boxes), wrap(scores), wrap(landmarks), UnsafeByteOperations.unsafeWrap(crops));
    }

    private static ByteBuffer floats(int n) {
        return ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteString wrap(ByteBuffer b) {
        return UnsafeByteOperations.unsafeWrap(b.array());
    }
}
