package dev.affect.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals(1.0f, BFloat16.toFloat(BFloat16.fromFloat(1.0f)));
        // 1 + 2^-8 is exactly halfway between two bf16 values: ties go to the even mantissa (1.0)
        assertEquals(1.0f, BFloat16.toFloat(BFloat16.fromFloat(1.0f + 0x1p-8f)));
        assertEquals(1.0f + 0x1p-7f * 2, BFloat16.toFloat(BFloat16.fromFloat(1.0f + 0x1p-7f + 0x1p-8f)));
        assertEquals(Float.NaN, BFloat16.toFloat(BFloat16.fromFloat(Float.NaN)));
    }

    @Test
    void newDtypesRoundTripThroughTheAccessors() {
        Tensor ids = Tensor.zeros(DType.I32, Shape.of(3));
        ids.setFloat(2, 49407);
        assertEquals(49407, ids.getLong(2));
        Tensor pixels = Tensor.zeros(DType.U8, Shape.of(2));
        pixels.setFloat(0, 255);
        pixels.setFloat(1, 300); // saturates like an image pipeline, never wraps to 44
        assertArrayEquals(new long[] {255, 255}, pixels.toLongArray());
        Tensor mask = Tensor.zeros(DType.BOOL, Shape.of(2));
        mask.setFloat(1, 0.5f);
        assertArrayEquals(new float[] {0, 1}, mask.toFloatArray());
        assertEquals(2, mask.byteSize());
    }

    @Test
    void hostTensorsAreTheirOwnHostView() {
        Tensor t = Tensor.zeros(Shape.of(2, 2));
        assertEquals(t, t.host());
        try (TensorScope scope = new TensorScope()) {
            Tensor owned = scope.allocate(DType.F32, Shape.of(4));
            assertEquals(16, owned.host().segment().byteSize());
        }
    }

    @Test
    void sliceAndReshapeAreViews() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor row = t.slice(1, 2);
        row.setFloat(0, 30);
        assertEquals(30, t.getFloat(2));
        assertArrayEquals(new float[] {1, 2, 30, 4, 5, 6}, t.reshape(Shape.of(2, 3)).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> t.reshape(Shape.of(4)));
        assertThrows(IndexOutOfBoundsException.class, () -> t.slice(2, 4));
    }

    @Test
    void convertsBetweenDtypes() {
        Tensor half = Tensor.zeros(DType.F16, Shape.of(3));
        half.copyFrom(Tensor.of(new float[] {0.5f, -2f, 1024f}, 3));
        assertArrayEquals(new float[] {0.5f, -2f, 1024f}, half.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1}, 2));
    }
}
