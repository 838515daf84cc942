package dev.affect.engine.model.demo;

import java.util.SplittableRandom;

/**
 * Reproducible random numbers for one named tensor: a {@link SplittableRandom} (SplitMix64) seeded
 * from the global seed and the tensor's name, with normals by the Box-Muller transform. Both are
 * written out here rather than taken from {@code RandomGenerator.nextGaussian}, whose algorithm the
 * JDK does not promise to keep, so a seed gives the same bits on every JDK.
 *
 * <p>Seeding per name keeps a tensor's values independent of which other tensors exist or their order.
 */
final class SeededNormal {
    private final SplittableRandom random;
    private double spare = Double.NaN;

    SeededNormal(long seed, String name) {
        // String.hashCode is specified by the JLS; mixing it into the seed through a second
        // SplittableRandom spreads neighbouring names over unrelated streams.
        this.random = new SplittableRandom(new SplittableRandom(seed).nextLong() ^ name.hashCode());
    }

    /** A standard normal sample. */
    double next() {
        if (!Double.isNaN(spare)) {
            double s = spare;
            spare = Double.NaN;
            return s;
        }
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log(u1) is finite
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2.0 * StrictMath.log(u1));
        double theta = 2.0 * Math.PI * u2;
        spare = r * StrictMath.sin(theta);
        return r * StrictMath.cos(theta);
    }

    /** Uniform in [-bound, bound). */
    double uniform(double bound) {
        return (2.0 * random.nextDouble() - 1.0) * bound;
    }
}
