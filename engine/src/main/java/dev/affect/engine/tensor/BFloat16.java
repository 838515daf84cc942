package dev.affect.engine.tensor;

/** bfloat16 conversion: the top 16 bits of a float32, rounded to nearest even. */
public final class BFloat16 {
    private BFloat16() {
    }

    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float toFloat(short value) {
        return Float.intBitsToFloat((value & 0xffff) << 16);
    }
}
