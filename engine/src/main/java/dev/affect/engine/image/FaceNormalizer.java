package dev.affect.engine.image;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;

/**
 * torchvision's {@code ToTensor()} + {@code Normalize(ImageNet mean, std)} for a 112x112 face:
 * HWC uint8 RGB to CHW float, {@code (p / 255 - mean[c]) / std[c]}.
 *
 * <p>The arithmetic is float32 in torch's order (divide by 255, subtract the float32 mean, divide by
 * the float32 std), so the values equal the authors' tensors bit for bit.
 */
public final class FaceNormalizer {
    /** The model's input side, in pixels. */
    public static final int SIZE = 112;
    public static final int CHANNELS = 3;

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    /** Normalised value for each (channel, byte): 768 floats instead of 37,632 divisions per face. */
    private static final float[] TABLE = table();

    private FaceNormalizer() {
    }

    /** A new float32 tensor of shape [1, 3, 112, 112]. */
    public static Tensor toTensor(RgbImage face) {
        Tensor tensor = Tensor.zeros(Shape.of(1, CHANNELS, SIZE, SIZE));
        writeInto(tensor, 0, face);
        return tensor;
    }

    /**
     * Writes {@code face} as sample {@code index} of {@code batch} (shape [N, 3, 112, 112], any floating
     * dtype; values are rounded to it), so a batch is filled in place without intermediate tensors.
     */
    public static void writeInto(Tensor batch, int index, RgbImage face) {
        checkBatch(batch, index);
        if (face.width() != SIZE || face.height() != SIZE) {
            throw new IllegalArgumentException("face image must be " + SIZE + "x" + SIZE + " (resize it first), got "
                    + face.width() + "x" + face.height());
        }
        byte[] pixels = face.pixels();
        int plane = SIZE * SIZE;
        long base = (long) index * CHANNELS * plane;
        for (int c = 0; c < CHANNELS; c++) {
            long channelBase = base + (long) c * plane;
            int tableBase = c * 256;
            for (int i = 0; i < plane; i++) {
                batch.setFloat(channelBase + i, TABLE[tableBase + (pixels[i * CHANNELS + c] & 0xff)]);
            }
        }
    }

    /** The normalised value of byte {@code value} in channel {@code channel} (0 = R). */
    public static float normalize(int channel, int value) {
        return (value / 255f - MEAN[channel]) / STD[channel];
    }

    private static void checkBatch(Tensor batch, int index) {
        Shape shape = batch.shape();
        if (shape.rank() != 4 || shape.dim(1) != CHANNELS || shape.dim(2) != SIZE || shape.dim(3) != SIZE) {
            throw new IllegalArgumentException("batch tensor must have shape [N, " + CHANNELS + ", " + SIZE + ", " + SIZE
                    + "], got " + shape);
        }
        if (!batch.dtype().isFloating()) {
            throw new IllegalArgumentException("batch tensor must be floating point, got " + batch.dtype());
        }
        if (index < 0 || index >= shape.dim(0)) {
            throw new IllegalArgumentException("batch index " + index + " is outside a batch of " + shape.dim(0));
        }
    }

    private static float[] table() {
        float[] t = new float[CHANNELS * 256];
        for (int c = 0; c < CHANNELS; c++) {
            for (int v = 0; v < 256; v++) {
                t[c * 256 + v] = normalize(c, v);
            }
        }
        return t;
    }
}
