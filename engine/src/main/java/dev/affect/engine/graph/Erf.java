package dev.affect.engine.graph;

/** The error function to about 1e-15, for exact (erf-form) GELU in the reference backend. */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Erf() {
    }

    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= 6.0) {
            return Math.signum(x);
        }
        if (ax <= 3.0) {
            // Maclaurin series: sum (-1)^n x^(2n+1) / (n! (2n+1)); terms stay below e^9, so double keeps ~1e-12
            double term = x;
            double sum = x;
            double x2 = x * x;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        // continued fraction of erfc, evaluated from the tail
        double t = ax;
        for (int k = 80; k >= 1; k--) {
            t = ax + (k / 2.0) / t;
        }
        double erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * t);
        return Math.signum(x) * (1.0 - erfc);
    }
}
