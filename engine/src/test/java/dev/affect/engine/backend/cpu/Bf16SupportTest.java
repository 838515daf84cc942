package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.testing.RequiredBackend;
import org.junit.jupiter.api.Test;

/**
 * The bf16 probe measures what it claims: its f32 run is the convolution, and its data is such that
 * a bf16 kernel could not give f32's bits.
 */
class Bf16SupportTest {

    @Test
    void verdictIsCachedAndNamesTheKernel() {
        RequiredBackend.require("cpu");
        Bf16Support.Verdict v = Bf16Support.probe();
        assertSame(v, Bf16Support.probe());
        assertTrue(v.reason().contains(" picks ") && v.reason().endsWith(v.used() ? "in bf16" : "in f32"), v.reason());
    }

    @Test
    void f32RunIsTheConvolution() {
        RequiredBackend.require("cpu");
        float[][] d = Bf16Support.data();
        float[] expected = convolve(d[0], d[1], d[2]);
        float[] actual = Bf16Support.convolution(false).dst();
        assertTrue(maxAbsDiff(expected, actual) < 1e-5, "f32 probe off by " + maxAbsDiff(expected, actual));
    }

    @Test
    void bf16RoundingOfTheProbeDataShowsInTheOutput() {
        RequiredBackend.require("cpu");
        float[][] d = Bf16Support.data();
        float[] f32 = convolve(d[0], d[1], d[2]);
        float[] rounded = convolve(toBf16(d[0]), toBf16(d[1]), d[2]);
        double gap = maxAbsDiff(f32, rounded);
        assertTrue(gap > 1e-3, "bf16 inputs change the output by only " + gap);
        Bf16Support.Verdict v = Bf16Support.probe();
        if (v.used()) {
            float[] bf16 = Bf16Support.convolution(true).dst();
            assertTrue(maxAbsDiff(rounded, bf16) < gap / 10, v.reason() + ", yet the output is off bf16 math by "
                    + maxAbsDiff(rounded, bf16));
        }
    }

    /** 3x3, stride 1, pad 1, NCHW / OIHW, accumulated in double. */
    private static float[] convolve(float[] src, float[] weights, float[] bias) {
        int c = Bf16Support.SRC.dim(1);
        int o = Bf16Support.DST.dim(1);
        int hw = Bf16Support.SRC.dim(2);
        float[] dst = new float[o * hw * hw];
        for (int oc = 0; oc < o; oc++) {
            for (int y = 0; y < hw; y++) {
                for (int x = 0; x < hw; x++) {
                    double sum = bias[oc];
                    for (int ic = 0; ic < c; ic++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int sy = y + ky - 1;
                                int sx = x + kx - 1;
                                if (sy >= 0 && sy < hw && sx >= 0 && sx < hw) {
                                    sum += (double) src[(ic * hw + sy) * hw + sx] * weights[((oc * c + ic) * 3 + ky) * 3 + kx];
                                }
                            }
                        }
                    }
                    dst[(oc * hw + y) * hw + x] = (float) sum;
                }
            }
        }
        return dst;
    }

    /** Round to nearest even to bf16, as oneDNN converts. */
    private static float[] toBf16(float[] values) {
        float[] r = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            bits += 0x7FFF + ((bits >>> 16) & 1);
            r[i] = Float.intBitsToFloat(bits & 0xFFFF0000);
        }
        return r;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
