package dev.affect.engine.image.align;

/**
 * A 2x3 affine matrix {@code [[m00, m01, m02], [m10, m11, m12]]} mapping (x, y) to
 * (m00 x + m01 y + m02, m10 x + m11 y + m12), in double precision like OpenCV's and skimage's.
 */
public record AffineMatrix(double m00, double m01, double m02, double m10, double m11, double m12) {

    /** From six values in row-major order. */
    public static AffineMatrix of(double[] rowMajor) {
        if (rowMajor.length != 6) {
            throw new IllegalArgumentException("a 2x3 matrix has 6 values, got " + rowMajor.length);
        }
        return new AffineMatrix(rowMajor[0], rowMajor[1], rowMajor[2], rowMajor[3], rowMajor[4], rowMajor[5]);
    }

    /** The six values in row-major order. */
    public double[] toArray() {
        return new double[] {m00, m01, m02, m10, m11, m12};
    }

    public double mapX(double x, double y) {
        return m00 * x + m01 * y + m02;
    }

    public double mapY(double x, double y) {
        return m10 * x + m11 * y + m12;
    }

    public boolean isFinite() {
        for (double v : toArray()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The inverse, computed with exactly OpenCV's {@code warpAffine} operations and order (so a warp that
     * emulates OpenCV's fixed point sees the same inverse, to the last bit). A singular matrix gives
     * all zeros, as OpenCV.
     */
    public AffineMatrix inverseLikeOpenCv() {
        double d = m00 * m11 - m01 * m10;
        d = d != 0 ? 1.0 / d : 0;
        double a11 = m11 * d;
        double a22 = m00 * d;
        double i01 = m01 * -d;
        double i10 = m10 * -d;
        double b1 = -a11 * m02 - i01 * m12;
        double b2 = -i10 * m02 - a22 * m12;
        return new AffineMatrix(a11, i01, b1, i10, a22, b2);
    }
}
