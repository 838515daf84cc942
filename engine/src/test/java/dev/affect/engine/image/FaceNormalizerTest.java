package dev.affect.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FaceNormalizerTest {

    @Test
    void matchesTorchvisionOnResizedFixtures() {
        for (String face : new String[] {"face_a", "face_b", "face_c"}) {
            RgbImage resized = Fixtures.npy(face + "_resized.npy").image();
            float[] expected = Fixtures.npy(face + ".npy").f32();
            Tensor tensor = FaceNormalizer.toTensor(resized);
            assertEquals(Shape.of(1, 3, 112, 112), tensor.shape());
            assertEquals(DType.F32, tensor.dtype());
            float[] actual = tensor.toFloatArray();
            double max = maxAbsDiff(expected, actual);
            System.out.printf("%s normalisation: max |diff| %.3g, bit-identical %b%n", face, max, Arrays.equals(expected, actual));
            assertTrue(max <= 1e-6, face + " max |diff| " + max);
        }
    }

    @Test
    void writesEachSampleOfABatchInPlace() {
        RgbImage a = Fixtures.npy("face_a_resized.npy").image();
        RgbImage c = Fixtures.npy("face_c_resized.npy").image();
        Tensor batch = Tensor.zeros(Shape.of(3, 3, 112, 112));
        FaceNormalizer.writeInto(batch, 2, a);
        FaceNormalizer.writeInto(batch, 0, c);
        float[] all = batch.toFloatArray();
        int n = 3 * 112 * 112;
        assertEquals(0, maxAbsDiff(FaceNormalizer.toTensor(c).toFloatArray(), Arrays.copyOfRange(all, 0, n)));
        assertEquals(0, maxAbsDiff(new float[n], Arrays.copyOfRange(all, n, 2 * n)), "untouched sample");
        assertEquals(0, maxAbsDiff(FaceNormalizer.toTensor(a).toFloatArray(), Arrays.copyOfRange(all, 2 * n, 3 * n)));
    }

    @Test
    void layoutIsChannelMajor() {
        byte[] pixels = new byte[112 * 112 * 3];
        pixels[(5 * 112 + 7) * 3 + 1] = (byte) 255; // green at x=7, y=5
        Tensor t = FaceNormalizer.toTensor(new RgbImage(112, 112, pixels));
        assertEquals((1f - 0.456f) / 0.224f, t.getFloat(112 * 112 + 5 * 112 + 7));
        assertEquals((0f - 0.485f) / 0.229f, t.getFloat(5 * 112 + 7));
        assertEquals(FaceNormalizer.normalize(2, 0), t.getFloat(2 * 112 * 112 + 5 * 112 + 7));
    }

    @Test
    void rejectsWrongImageSize() {
        RgbImage small = new RgbImage(111, 112, new byte[111 * 112 * 3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaceNormalizer.toTensor(small));
        assertEquals("face image must be 112x112 (resize it first), got 111x112", e.getMessage());
    }

    @Test
    void rejectsWrongBatch() {
        RgbImage face = new RgbImage(112, 112, new byte[112 * 112 * 3]);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> FaceNormalizer.writeInto(Tensor.zeros(Shape.of(2, 112, 112, 3)), 0, face));
        assertEquals("batch tensor must have shape [N, 3, 112, 112], got [2, 112, 112, 3]", shape.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> FaceNormalizer.writeInto(Tensor.zeros(Shape.of(3, 112, 112)), 0, face));
        assertEquals("batch tensor must have shape [N, 3, 112, 112], got [3, 112, 112]", rank.getMessage());
        IllegalArgumentException index = assertThrows(IllegalArgumentException.class,
                () -> FaceNormalizer.writeInto(Tensor.zeros(Shape.of(2, 3, 112, 112)), 2, face));
        assertEquals("batch index 2 is outside a batch of 2", index.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> FaceNormalizer.writeInto(Tensor.zeros(DType.I64, Shape.of(1, 3, 112, 112)), 0, face));
        assertEquals("batch tensor must be floating point, got I64", dtype.getMessage());
    }

    static double maxAbsDiff(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }
}
