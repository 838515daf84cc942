package dev.affect.engine.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Training batch norm's running-statistics update over [C]: rm' = (1-m)*rm + m*mean and
 * rv' = (1-m)*rv + m*var*n/(n-1) (torch's unbiased running variance), in double, rounded once.
 */
record RunningStatsKernel(float momentum, long count, int channels, int rm, int rv, int mean, int var, int rmOut,
                          int rvOut) implements JavaKernel {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Override
    public void run(MemorySegment[] data) {
        double m = momentum;
        double unbias = (double) count / (count - 1);
        for (int i = 0; i < channels; i++) {
            double mu = data[mean].getAtIndex(F, i);
            double v = data[var].getAtIndex(F, i);
            data[rmOut].setAtIndex(F, i, (float) ((1 - m) * data[rm].getAtIndex(F, i) + m * mu));
            data[rvOut].setAtIndex(F, i, (float) ((1 - m) * data[rv].getAtIndex(F, i) + m * v * unbias));
        }
    }
}
